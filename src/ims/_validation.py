"""Requests checked before sending, against the spec's own request schema.

`make generate` writes the spec, as JSON, into the generated package (`ims_client/openapi.json`),
so the schema here is always the one the client was generated from: change a constraint in the
spec, regenerate, and the client's checks change with it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from ims._errors import RequestInvalid


@cache
def spec() -> dict[str, Any]:
    """The OpenAPI document the client was generated from."""
    document: dict[str, Any] = json.loads(resources.files("ims_client").joinpath("openapi.json").read_text("utf-8"))
    return document


@cache
def _validator(schema_name: str) -> jsonschema.protocols.Validator:
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": spec()["components"]}
    validator: jsonschema.protocols.Validator = jsonschema.Draft202012Validator(schema)
    return validator


def check(schema_name: str, body: dict[str, Any]) -> None:
    """Raise RequestInvalid for the first thing in `body` that `schema_name` refuses."""
    error = jsonschema.exceptions.best_match(_validator(schema_name).iter_errors(body))
    if error is None:
        return
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    field = field.lstrip(".")
    if error.validator == "additionalProperties" and not field:
        extra = sorted(set(body) - set(error.schema.get("properties", {}))) if isinstance(error.schema, dict) else []
        field = extra[0] if extra else field
    if error.validator == "required" and isinstance(error.validator_value, list):
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        field = ".".join(filter(None, [field, missing[0] if missing else ""]))
    message = error.message
    if error.validator == "not" and isinstance(error.validator_value, dict):
        # A combination the spec forbids: name its fields and its reason, not the whole body.
        field = ", ".join(error.validator_value.get("required", [])) or field
        message = str(error.validator_value.get("description") or "this combination is not allowed")
    raise RequestInvalid(field, str(error.validator), message)
