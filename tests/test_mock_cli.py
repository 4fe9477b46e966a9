"""The ims-mock command: start-up line, flags, environment, fault listing, and no secrets in output."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from ims_mock import faults
from ims_mock.cli import build_parser, config_from_args
from ims_mock.config import MockConfig
from ims_mock.settings import default_credentials
from tests.servers import IMS_MOCK, serve_process

SECRET_SK = "sk-that-must-never-be-printed"
SECRET_TOKEN = "token-that-must-never-be-printed"


def test_the_console_script_prints_one_ready_line_and_serves() -> None:
    with serve_process() as (url, lines):
        assert len(lines) == 1
        assert httpx.get(url + "/health").json() == {"status": "ok", "faults": []}


def test_faults_come_from_flags_and_the_environment() -> None:
    env = {"IMS_MOCK_FAULTS": "dashed-job-id, ignore-auth"}
    with serve_process("--fault", "accept-min-disk-39", env=env) as (url, _lines):
        assert httpx.get(url + "/health").json()["faults"] == ["accept-min-disk-39", "dashed-job-id", "ignore-auth"]


def test_no_request_can_switch_a_fault_on() -> None:
    with serve_process() as (url, _lines):
        httpx.get(url + "/health?fault=ignore-auth", headers={"X-Fault": "ignore-auth", "IMS-MOCK-FAULTS": "x"})
        response = httpx.post(url + "/v1/cloudimages/dataimages/action?fault=ignore-auth", json={})
        assert response.status_code == 401
        assert httpx.get(url + "/health").json()["faults"] == []


def test_credentials_come_from_flags_and_are_never_printed() -> None:
    env = {"IMS_MOCK_SK": SECRET_SK}
    with serve_process("--token", SECRET_TOKEN, "--log-level", "debug", env=env) as (url, lines):
        assert httpx.get(url + "/v2/cloudimages", headers={"X-Auth-Token": SECRET_TOKEN}).status_code == 200
        refused = httpx.get(url + "/v2/cloudimages", headers={"X-Auth-Token": "mock-token"})
        assert refused.status_code == 401
        assert SECRET_TOKEN not in refused.text
    output = "".join(lines)
    assert "ready on" in output
    assert SECRET_SK not in output
    assert SECRET_TOKEN not in output


def test_list_faults_describes_at_least_twenty_faults() -> None:
    done = subprocess.run([IMS_MOCK, "--list-faults"], capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    assert len(lines) == len(faults.FAULTS) >= 20
    for line in lines:
        name, kind, description = line.split(maxsplit=2)
        assert faults.REGISTRY[name].kind == kind
        assert faults.FAULTS[name] == description


@pytest.mark.parametrize(
    "args",
    [
        ["--fault", "no-such-fault"],
        ["--rate-limit", "x"],
        ["--job-seconds", "-1"],
        ["--project", "only:three:parts"],
        ["--max-jobs", "0"],
        ["--max-images-per-project", "-5"],
        ["--request-timeout", "0"],
        ["--max-connections", "0"],
        ["--in-flight-mib", "12"],
    ],
)
def test_bad_flags_exit_with_a_message_and_status_2(args: list[str]) -> None:
    done = subprocess.run([IMS_MOCK, *args], capture_output=True, text=True, check=False, timeout=30)
    assert done.returncode == 2
    assert done.stderr.strip()
    if args[0] not in ("--project", "--fault"):  # those name the bad value instead
        assert args[0] in done.stderr  # the message names the flag


def test_the_flags_defaults_are_the_configs() -> None:
    parsed = build_parser().parse_args([])
    built, _ = config_from_args(parsed, {})
    assert built == MockConfig(credentials=built.credentials)  # the CLI adds nothing of its own to the defaults


@pytest.mark.parametrize(
    "field",
    ["job_seconds", "max_jobs", "max_images_per_project", "header_seconds", "max_connections", "in_flight_bytes"],
)
def test_a_config_no_server_could_run_with_is_refused_however_it_is_built(field: str) -> None:
    config = MockConfig(credentials=default_credentials({}))
    changes: dict[str, Any] = {field: -1}
    with pytest.raises(ValueError, match=field):
        dataclasses.replace(config, **changes)  # replace() checks again, as every construction does


def test_the_core_modules_name_no_fault() -> None:
    # Every module but the fault layer itself (the package ims_mock/faults/) and the command line that chooses faults.
    package = Path(faults.__file__).parent
    core = [path for path in package.parent.glob("*.py") if path.name != "cli.py"]
    assert len(core) >= 8
    text = "\n".join(path.read_text() for path in core)
    named = [name for name in faults.REGISTRY if name in text]
    assert named == []
