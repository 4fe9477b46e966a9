"""Requests checked before sending, against the spec's own request schema.

`make generate` writes the spec, as JSON, into the generated package (`ims_client/openapi.json`),
so the schema here is always the one the client was generated from: change a constraint in the
spec, regenerate, and the client's checks change with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
    """Raise RequestInvalid for the first thing in `body` that `schema_name` refuses, in words."""
    error = jsonschema.exceptions.best_match(_validator(schema_name).iter_errors(body))
    if error is None:
        return
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    field = field.lstrip(".")
    keyword = str(error.validator)
    if keyword == "additionalProperties" and not field:
        extra = sorted(set(body) - set(error.schema.get("properties", {}))) if isinstance(error.schema, dict) else []
        field = extra[0] if extra else field
    if keyword == "required" and isinstance(error.validator_value, list):
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        field = ".".join(filter(None, [field, missing[0] if missing else ""]))
    if keyword == "not" and isinstance(error.validator_value, dict):
        # A combination the spec forbids: name its fields and its reason, not the whole body.
        field = ", ".join(error.validator_value.get("required", [])) or field
    words = in_words(error, described(schema_name, field))
    raise RequestInvalid(field, create_rule(field, keyword, error.instance), words, keyword=keyword)


def in_words(error: jsonschema.ValidationError, described: str = "") -> str:
    """What `error` refuses, in words, with the limit: "129 characters, at most 128"; never a regex.

    A value not in the form asked is told the form in the spec's own words: the description of the
    failing schema, else `described` (the property's or parameter's).
    """
    keyword = str(error.validator)
    limit: Any = error.validator_value
    value: Any = error.instance
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    counted: dict[str, Callable[[], str]] = {
        "maxLength": lambda: f"{len(value)} characters, at most {limit}",
        "minLength": lambda: f"{len(value)} characters, at least {limit}",
        "maxItems": lambda: f"{len(value)} items, at most {limit}",
        "minItems": lambda: f"{len(value)} items, at least {limit}",
        "maximum": lambda: f"{value!r}, at most {limit}",
        "minimum": lambda: f"{value!r}, at least {limit}",
        "enum": lambda: f"{_shown(value)} is not one of {', '.join(map(repr, limit))} (case-sensitive)",
        "uniqueItems": lambda: "an item appears twice; items must be unique",
        "required": lambda: "missing; it is required",
        "additionalProperties": lambda: "not a property this request has (see the spec's request schema)",
        "not": lambda: str(limit.get("description") or "this combination is not allowed").rstrip("."),
    }
    if keyword in counted:
        return counted[keyword]()
    if keyword == "type":
        if value is None:
            return "null is not allowed; leave the field out instead"
        return f"{_shown(value)} is {_json_type(value)}, must be {' or '.join(map(_article, _listed(limit)))}"
    if keyword in ("pattern", "format"):
        words = _sentences(str(schema.get("description") or described)) or "not in the form the spec gives"
        return f"{_shown(value)} is not allowed: {words}"
    return f"{_shown(value)} is refused ({keyword}: {str(error.message)[:120]})"


def create_rule(field: str, keyword: str, value: Any) -> str:
    """The rule of docs/contract.md a create request breaks (`create.name.length`, ...)."""
    top = field.split("[")[0].split(".")[0].split(",")[0]
    if keyword == "not":
        return "create.tags.exclusive"
    if value is None and keyword == "type":
        return "create.body.null"
    if keyword == "additionalProperties" and "." not in field and "[" not in field:
        return "create.body.unknown"
    if top == "name":
        return {"required": "create.name.required", "maxLength": "create.name.length"}.get(
            keyword, "create.name.length" if keyword == "minLength" else "create.name.charset"
        )
    if top == "description":
        return "create.description.length" if keyword == "maxLength" else "create.description.charset"
    if top in ("tags", "image_tags"):
        if keyword in ("maxItems", "maxLength"):
            return "create.tags.limits"
        return "create.tags.keys" if keyword == "uniqueItems" else f"create.{top}"
    return f"create.{top}" if top else "create.body.object"


def _sentences(text: str, most: int = 240) -> str:
    """`text` without Markdown ticks, cut after its last whole sentence within `most` characters."""
    flat = " ".join(text.replace("`", "").split())
    if len(flat) > most:
        cut = flat.rfind(". ", 0, most)
        flat = flat[: cut + 1] if cut > 0 else flat[: most - 3] + "..."
    return flat.rstrip(".")


def described(schema_name: str, field: str) -> str:
    """The spec's description of `schema_name`'s top-level property `field` (its `$ref` followed)."""
    top = field.split("[")[0].split(".")[0]
    schemas = spec()["components"]["schemas"]
    prop: dict[str, Any] = schemas[schema_name].get("properties", {}).get(top, {})
    if "$ref" in prop:
        prop = schemas[prop["$ref"].rsplit("/", 1)[-1]]
    return str(prop.get("description", ""))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    names |= {list: "an array", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _article(json_type: str) -> str:
    return f"an {json_type}" if json_type[:1] in "aeiou" else f"a {json_type}"


def _listed(types: Any) -> list[str]:
    return [types] if isinstance(types, str) else [str(each) for each in types]
