"""`ims`'s public surface, held to the spec it was generated from and to the generated client's public API.

A spec change that adds, drops or retypes a create field, a list filter or an image field fails
here until `ims` follows; so does `ims` reaching for a private name of `ims_client`, or the
project's endpoint template drifting from the pinned generator's.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import logging
import subprocess
import sys
import time
import types
import typing
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import httpx
import pytest

import ims
import ims._results
import ims._validation
import ims_client
from ims_mock.settings import DEFAULT_PROJECT_ID, DEFAULT_TOKEN
from tests.servers import config, serve
from tests.spec_helpers import ROOT

TOKEN = ims.TokenAuth(DEFAULT_TOKEN, DEFAULT_PROJECT_ID)
FAST = ims.Retry(attempts=3, backoff=0.01, max_wait=0.05)
SCHEMAS = ims._validation.spec()["components"]["schemas"]
JOB = {"job_id": "a" * 32, "job_type": "imsImportDataImageJob", "status": "RUNNING", "begin_time": "", "end_time": ""}


def _json_types(schema: dict[str, Any]) -> set[type]:
    """The Python types an `ims` result holds for a JSON schema."""
    if "$ref" in schema:
        schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]]
    names = schema.get("type", [])
    names = [names] if isinstance(names, str) else names
    by_name = {"string": str, "integer": int, "boolean": bool, "number": float, "array": tuple, "null": type(None)}
    return {by_name[name] for name in names}


def _hint_types(hint: Any) -> set[type]:
    """The runtime types an annotation allows (`str | None` → {str, NoneType}, a Literal → its values' types)."""
    if get_origin(hint) in (typing.Union, types.UnionType):
        return set().union(*(_hint_types(arg) for arg in get_args(hint)))
    if get_origin(hint) is typing.Literal:
        return {type(value) for value in get_args(hint)}
    if get_origin(hint) is not None:
        return {get_origin(hint)}
    return {hint}


def test_the_endpoint_template_is_the_pinned_generators_own_plus_the_public_pair() -> None:
    """An upgrade of the generator fails here until its template is copied again (openapi/templates/README.md)."""
    pinned = Path(str(metadata.distribution("openapi-python-client").locate_file("openapi_python_client/templates")))
    ours = (ROOT / "openapi" / "templates" / "endpoint_module.py.jinja").read_text(encoding="utf-8")
    theirs = (pinned / "endpoint_module.py.jinja").read_text(encoding="utf-8")
    assert ours.startswith(theirs)
    assert "def build_request(" in ours[len(theirs) :]
    assert "def parse_response(" in ours[len(theirs) :]


def _private_names_of_the_generated_client() -> set[str]:
    root = Path(ims_client.__file__).parent
    names: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef) and node.name.startswith("_"):
                names.add(node.name)
    return {name for name in names if not name.startswith("__")}


def test_ims_uses_only_the_generated_clients_public_surface() -> None:
    private = _private_names_of_the_generated_client()
    assert {"_get_kwargs", "_parse_response", "_build_response"} <= private  # the check sees what it must
    used: list[str] = []
    for path in sorted((ROOT / "src" / "ims").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ims_client"):
                used += [f"{path.name}: from {node.module} import {a.name}" for a in node.names if a.name[0] == "_"]
            if isinstance(node, ast.Attribute) and node.attr in private:
                used.append(f"{path.name}:{node.lineno}: .{node.attr}")
            if isinstance(node, ast.Constant) and node.value in private:
                used.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert used == []


def test_every_image_field_the_spec_lists_is_an_image_attribute_of_its_type() -> None:
    spec = SCHEMAS["Image"]
    hints = get_type_hints(ims.Image)
    fields = {name for name in hints if name != "extra"}
    assert fields == {ims._results.python_name(wire) for wire in spec["properties"]}
    assert len(fields) == 63
    for wire, schema in spec["properties"].items():
        name = ims._results.python_name(wire)
        assert ims._results.wire_name(name) == wire
        allowed = _json_types(schema) | ({type(None)} if wire not in spec["required"] else set())
        assert _hint_types(hints[name]) == allowed, name
        if "enum" in schema:
            assert set(get_args(hints[name])) == set(schema["enum"]), name


def test_a_job_is_read_with_plain_types_and_no_unset() -> None:
    job = ims.Job.from_generated(
        ims_client.models.JobProgress.from_dict(
            {**JOB, "status": "SUCCESS", "entities": {"image_id": "6b471cb6-bcd0-4698-a0af-e322169cfafe"}}
        )
    )
    assert job.image_id == "6b471cb6-bcd0-4698-a0af-e322169cfafe"
    assert isinstance(job.image_id, str)
    assert (job.error_code, job.process_percent, job.ended) == (None, None, True)
    required = SCHEMAS["JobProgress"]["required"]
    hints = get_type_hints(ims.Job)
    assert set(required) <= set(hints)
    entities = set(SCHEMAS["JobProgressEntities"]["properties"])
    lifted = {"image_id", "image_name", "current_task", "process_percent"}
    assert lifted <= entities
    assert lifted <= set(hints)
    with pytest.raises(AttributeError):
        job.status = "FAIL"  # type: ignore[misc]  # frozen


@pytest.mark.parametrize("client", [ims.Client, ims.AsyncClient])
def test_create_takes_each_spec_field_as_a_typed_keyword(client: type[ims.Client | ims.AsyncClient]) -> None:
    request = SCHEMAS["CreateDataImageRequest"]
    signature = inspect.signature(client.create_data_image)
    hints = get_type_hints(client.create_data_image)
    parameters = {name: p for name, p in signature.parameters.items() if name != "self"}
    assert set(parameters) == set(request["properties"]) | {"api", "timeout"}
    for name, schema in request["properties"].items():
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert (parameters[name].default is inspect.Parameter.empty) == (name in request["required"]), name
        if "enum" in schema:
            literal = next(arg for arg in get_args(hints[name]) if get_origin(arg) is typing.Literal)
            assert set(get_args(literal)) == set(schema["enum"])
        documented = _json_types(schema)
        assert documented <= _hint_types(hints[name]) | ({tuple} if tuple in documented else set()), name


def test_the_list_query_takes_every_documented_filter_with_its_values() -> None:
    parameters = ims._validation.spec()["paths"]["/v2/cloudimages"]["get"]["parameters"]
    documented = {p["name"]: p["schema"] for p in parameters if p["name"] not in ("limit", "marker")}
    hints = get_type_hints(ims.ImageQuery)
    wire = {name: ims._listing._wire(name) for name in hints}
    assert set(wire.values()) == set(documented)
    for name, parameter in wire.items():
        if "enum" in documented[parameter]:
            assert set(get_args(hints[name])) == set(documented[parameter]["enum"]), name


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve(config(job_seconds=0.05)) as base_url:
        yield base_url


def test_iter_images_fetches_a_page_only_when_it_is_needed_and_list_images_stops_at_limit(url: str) -> None:
    answers: list[ims.Answer] = []
    with ims.Client(url, auth=TOKEN, on_answer=answers.append) as client:
        for n in range(3):
            client.wait_for_job(
                client.create_data_image(name="paged-lazy", image_url=f"bucket:d{n}.raw", min_disk=40), poll=0.02
            )
        answers.clear()
        images = client.iter_images(name="paged-lazy", page_size=1)
        assert answers == []  # nothing is sent before the first image is asked for
        first = next(images)
        assert [a.operation for a in answers] == ["listImages"]
        assert isinstance(first, ims.Image)
        assert isinstance(first.id, str)
        assert first.name == "paged-lazy"
        assert len([first, *images]) == 3
        assert len(answers) == 4
        answers.clear()
        assert len(client.list_images(name="paged-lazy", limit=2)) == 2
        assert len(answers) == 1  # a page of 2 asked, and no second page
        assert len(client.list_images(name="paged-lazy")) == 3
        with pytest.raises(ims.ConfigurationError, match="limit"):
            client.list_images(limit=0)


def test_each_answer_reaches_on_answer_with_its_request_id_and_nothing_sent(url: str) -> None:
    answers: list[ims.Answer] = []
    with ims.Client(url, auth=TOKEN, on_answer=answers.append) as client:
        job_id = client.create_data_image(name="answered", image_url="bucket:d.raw", min_disk=40)
    (answer,) = answers
    assert (answer.operation, answer.method, answer.status, answer.attempt) == ("createDataImage", "POST", 200, 1)
    assert answer.path == "/v1/cloudimages/dataimages/action"
    assert answer.request_id
    assert answer.headers["x-request-id"] == answer.request_id
    assert json.loads(answer.content) == {"job_id": job_id}
    assert DEFAULT_TOKEN not in repr(answer)


def test_the_async_client_iterates_lazily_too(url: str) -> None:
    async def run() -> list[str]:
        answers: list[ims.Answer] = []
        async with ims.AsyncClient(url, auth=TOKEN, on_answer=answers.append) as client:
            for n in range(2):
                job_id = await client.create_data_image(name="async-lazy", image_url=f"bucket:d{n}.raw", min_disk=40)
                await client.wait_for_job(job_id, poll=0.02)
            answers.clear()
            names = [image.name async for image in client.iter_images(name="async-lazy", page_size=1)]
            assert len(answers) == 3
            assert len(await client.list_images(name="async-lazy", limit=1)) == 1
            return names

    assert asyncio.run(run()) == ["async-lazy", "async-lazy"]


def _throttling_transport(calls: list[httpx.Request]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            body = {"error_code": "APIGW.0308", "error_msg": "slow down", "request_id": "r1"}
            return httpx.Response(429, headers={"Retry-After": "0", "X-Request-Id": "r1"}, json=body)
        return httpx.Response(200, headers={"X-Request-Id": "r2"}, json=JOB)

    return httpx.MockTransport(answer)


def test_requests_log_at_debug_and_retries_at_info_without_a_secret(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[httpx.Request] = []
    caplog.set_level(logging.DEBUG, logger="ims")
    with ims.Client("http://ims.test", auth=TOKEN, retry=FAST, transport=_throttling_transport(calls)) as client:
        assert client.get_job("a" * 32).status == "RUNNING"
    lines = [(record.levelname, record.getMessage()) for record in caplog.records if record.name == "ims"]
    path = f"/v1/cloudimages/job/{'a' * 32}"
    assert any(level == "DEBUG" and f"GET {path} -> 429" in text and "request id r1" in text for level, text in lines)
    assert any(level == "INFO" and "throttled (429)" in text and "attempt 2 of 3" in text for level, text in lines)
    assert any(level == "DEBUG" and f"GET {path} -> 200" in text for level, text in lines)
    assert all(DEFAULT_TOKEN not in text for _, text in lines)


def test_ims_log_turns_the_logger_on_from_the_environment(tmp_path: Path) -> None:
    program = tmp_path / "logged.py"
    program.write_text(
        "import httpx, ims\n"
        f"job = {JOB!r}\n"
        "transport = httpx.MockTransport(lambda request: httpx.Response(200, json=job))\n"
        f"auth = ims.TokenAuth({DEFAULT_TOKEN!r}, {DEFAULT_PROJECT_ID!r})\n"
        "with ims.Client('http://ims.test', auth=auth, transport=transport) as client:\n"
        "    print(client.get_job(job['job_id']).status)\n",
        encoding="utf-8",
    )
    env = {"PATH": "/usr/bin:/bin", "IMS_LOG": "debug"}
    done = subprocess.run(
        [sys.executable, str(program)], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    assert done.stdout.strip() == "RUNNING"
    assert f"ims DEBUG GET /v1/cloudimages/job/{'a' * 32} -> 200" in done.stderr
    assert DEFAULT_TOKEN not in done.stderr
    quiet = subprocess.run(
        [sys.executable, str(program)], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, timeout=60
    )
    assert quiet.stderr == ""


def test_a_per_call_timeout_bounds_that_calls_requests_only() -> None:
    deadlines: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        deadlines.append(request.extensions["deadline"] - time.monotonic())
        return httpx.Response(200, json=JOB)

    with ims.Client("http://ims.test", auth=TOKEN, timeout=30, transport=httpx.MockTransport(answer)) as client:
        client.get_job("a" * 32, timeout=0.5)
        client.get_job("a" * 32)
        with pytest.raises(ims.ConfigurationError, match="timeout"):
            client.get_job("a" * 32, timeout=0)
    assert 0 < deadlines[0] <= 0.5 < 29 < deadlines[1] <= 30
    assert len(deadlines) == 2  # the refused timeout sent nothing
