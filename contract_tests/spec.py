"""The spec as Schemathesis sees it, with the suite's own configuration file and nothing else."""

from __future__ import annotations

import functools
from pathlib import Path

import schemathesis
import yaml

HERE = Path(__file__).resolve().parent


def data_file(in_clone: str, name: str) -> Path:
    """A file the suite reads: the clone's own (so an edit counts at once), else the copy in the wheel."""
    clone = HERE.parent / in_clone
    return clone if clone.is_file() else HERE / "_data" / name


SPEC = data_file("openapi/ims-data-image.yaml", "ims-data-image.yaml")
CONTRACT = data_file("docs/contract.md", "contract.md")
CONFIG = HERE / "schemathesis.toml"
PYTEST_CONFIG = HERE / "pytest-suite.ini"  # the suite's pytest settings, the same in a clone and installed


def load_schema(base_url: str, project_id: str, headers: dict[str, str]) -> schemathesis.BaseSchema:
    """Load the spec from its file with contract_tests/schemathesis.toml, loaded explicitly.

    Passing the configuration keeps Schemathesis from discovering a schemathesis.toml in the
    working directory or a parent folder.
    """
    config = schemathesis.Config.from_path(CONFIG)
    config.projects.default.update(base_url=base_url, parameters={"project_id": project_id}, headers=headers)
    return schemathesis.openapi.from_path(SPEC, config=config)


@functools.cache
def spec_version() -> str:
    """The spec's `info.version`, as the report card names the contract it checked."""
    loaded = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return str(loaded.get("info", {}).get("version", "?")) if isinstance(loaded, dict) else "?"
