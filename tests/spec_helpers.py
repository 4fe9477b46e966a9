"""Access to the OpenAPI document for tests: loading, schema validators, and its examples."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "ims-data-image.yaml"


# Where the documented examples are: the README's, then the client's page.
EXAMPLE_PAGES = (ROOT / "README.md", ROOT / "docs" / "client.md")


def readme_python_blocks() -> list[str]:
    """The Python code blocks of the README and docs/client.md, in order."""
    pages = "\n".join(page.read_text(encoding="utf-8") for page in EXAMPLE_PAGES)
    return re.findall(r"```python\n(.*?)```", pages, flags=re.DOTALL)


def readme_python_block(marker: str) -> str:
    """The one documented Python code block (README or docs/client.md) that holds `marker`."""
    (block,) = [block for block in readme_python_blocks() if marker in block]
    return block


# The two request bodies of Huawei's page "Creating a Data Disk Image Using an External Image File",
# copied verbatim.
SEED_BODY_WITH_TAGS: dict[str, Any] = {
    "name": "fedora-data1",
    "image_url": "image-test:fedora_data1.qcow2",
    "description": "Data disk 1 of Fedora",
    "min_disk": 40,
    "tags": ["aaa.111", "bbb.222"],
    "os_type": "Linux",
}
SEED_BODY_WITH_IMAGE_TAGS: dict[str, Any] = {
    "name": "fedora-data2",
    "image_url": "image-test:fedora_data1.qcow2",
    "description": "Data disk 2 of Fedora",
    "min_disk": 40,
    "image_tags": [{"key": "aaa", "value": "111"}, {"key": "bbb", "value": "222"}],
    "os_type": "Linux",
}


@functools.cache
def load_spec() -> dict[str, Any]:
    """The spec as a dict, read once."""
    return cast(dict[str, Any], yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8")))


def validator(schema_ref: str) -> jsonschema.protocols.Validator:
    """A Draft 2020-12 validator (formats checked) for `#/components/schemas/...` of the spec."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": load_spec()["components"],
        "$ref": schema_ref,
    }
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def is_valid_request(body: Any) -> bool:
    """Whether `body` is a valid createDataImage request body according to the spec."""
    return bool(validator("#/components/schemas/CreateDataImageRequest").is_valid(body))


@dataclass(frozen=True)
class SpecExample:
    """One example value in the spec, with the schema it illustrates."""

    where: str
    schema_name: str
    value: Any


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    target: Any = load_spec()
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return cast(dict[str, Any], target)


def iter_examples() -> Iterator[SpecExample]:
    """Every `example` and `examples` value of every request and response body in the spec."""
    spec = load_spec()
    bodies: list[tuple[str, dict[str, Any]]] = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            if "requestBody" in operation:
                bodies.append((f"{where} request", _resolve(operation["requestBody"])))
            for status, response in operation["responses"].items():
                bodies.append((f"{where} {status}", _resolve(response)))
    for where, body in bodies:
        for media in body.get("content", {}).values():
            schema_name = media["schema"]["$ref"].rsplit("/", 1)[-1]
            if "example" in media:
                yield SpecExample(where, schema_name, media["example"])
            for name, example in media.get("examples", {}).items():
                yield SpecExample(f"{where} ({name})", schema_name, _resolve(example)["value"])
