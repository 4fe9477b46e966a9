"""The mock agrees with the spec, checked from the spec itself (`make test`; `make spec-diff` reports it).

For every property of the create body and every listImages parameter the spec declares, values are
drawn around that property's schema (its enum, bounds, pattern, items; then values just outside
them). The oracle is the spec: the whole request validated against the spec's own schema. A request
the spec allows must be accepted by the mock (200); one it forbids must be refused (400). The mock
keeps its own rules (`src/ims_mock/rules.py`, `images.py`): this only proves they match. A
disagreement fails naming the property, e.g. a property added to the spec that the mock refuses.

Besides the schema, the spec states in prose what JSON Schema cannot say, and docs/contract.md leaves
some points open for the mock to decide; those are the only requests not judged here (`UNJUDGED`).
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ims_mock.routes import ROUTES
from tests.servers import TOKEN_HEADERS, serve
from tests.spec_helpers import load_spec

Json = Any
CREATE = "/v1/cloudimages/dataimages/action"
LIST = "/v2/cloudimages"
EXAMPLES = 25


def _resolved(node: Json, spec: dict[str, Any]) -> Json:
    """`node` with every local `$ref` replaced by what it names."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Json = spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _resolved(target, spec)
        return {key: _resolved(value, spec) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolved(value, spec) for value in node]
    return node


SPEC = load_spec()
BODY_SCHEMA: dict[str, Any] = _resolved(SPEC["components"]["schemas"]["CreateDataImageRequest"], SPEC)
LIST_PARAMETERS: dict[str, dict[str, Any]] = {
    parameter["name"]: _resolved(parameter["schema"], SPEC) for parameter in SPEC["paths"][LIST]["get"]["parameters"]
}
BODY_VALIDATOR = jsonschema.Draft202012Validator(BODY_SCHEMA, format_checker=jsonschema.FormatChecker())
BASE_BODY = {"name": "agree", "image_url": "image-test:disk.qcow2", "min_disk": 40}


def _regex(pattern: str) -> str:
    # The spec's patterns end in `$(?!\n)` (see its description); as a full match, `^` and that end go.
    return pattern.removeprefix("^").removesuffix("$(?!\\n)").removesuffix("$")


def allowed(schema: dict[str, Any]) -> st.SearchStrategy[Json]:
    """Values built to satisfy `schema` (the spec's validator still has the last word)."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum", -(2**31)), schema.get("maximum", 2**31))
    if kind == "array":
        items = allowed(schema["items"])
        unique = (lambda item: json.dumps(item, sort_keys=True)) if schema.get("uniqueItems") else None
        size = {"min_size": schema.get("minItems", 0), "max_size": schema.get("maxItems", 5)}
        return st.lists(items, unique_by=unique, **size) if unique else st.lists(items, **size)
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {key: allowed(value) for key, value in properties.items() if key in required},
            optional={key: allowed(value) for key, value in properties.items() if key not in required},
        )
    if schema.get("format") == "uuid":
        return st.uuids().map(str)
    low, high = schema.get("minLength", 0), schema.get("maxLength", 64)
    if "pattern" in schema:
        return st.from_regex(_regex(schema["pattern"]), fullmatch=True).filter(lambda text: low <= len(text) <= high)
    return st.text(min_size=low, max_size=min(high, 64))


def forbidden(schema: dict[str, Any]) -> st.SearchStrategy[Json]:
    """Values just outside `schema`: each keyword broken in turn, then the wrong type and null."""
    options: list[st.SearchStrategy[Json]] = [st.none(), st.just({"not": "this"})]
    kind = schema.get("type")
    options.append(st.just(7) if kind != "integer" else st.just("7"))
    if "enum" in schema:
        options.append(st.sampled_from([f"{value}x" for value in schema["enum"]] + ["", "other"]))
    if kind == "integer":
        if "minimum" in schema:
            options.append(st.just(schema["minimum"] - 1))
        if "maximum" in schema:
            options.append(st.just(schema["maximum"] + 1))
        options.append(st.just(schema.get("minimum", 0) + 0.5))
    if kind == "string":
        if "maxLength" in schema:
            options.append(st.just("a" * (schema["maxLength"] + 1)))
        if schema.get("minLength", 0) > 0:
            options.append(st.just(""))
        if "pattern" in schema:
            options.append(st.text(max_size=20).filter(lambda text: not re.fullmatch(_regex(schema["pattern"]), text)))
    if kind == "array":
        options.append(st.lists(forbidden(schema["items"]), min_size=1, max_size=2))
        if "maxItems" in schema:
            options.append(
                st.lists(allowed(schema["items"]), min_size=schema["maxItems"] + 1, max_size=schema["maxItems"] + 1)
            )
    return st.one_of(options)


# What JSON Schema cannot state, and the points docs/contract.md leaves open to the mock: requests the
# spec's schema accepts that the mock may still refuse, each with its reason. Nothing else is exempt.
def _repeated_tag_keys(body: dict[str, Any]) -> bool:  # the spec's prose: tag keys are unique
    tags, objects = body.get("tags"), body.get("image_tags")
    keys: list[Any] = [tag.split(".", 1)[0] for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []
    keys += [tag.get("key") for tag in objects if isinstance(tag, dict)] if isinstance(objects, list) else []
    return len(keys) != len(set(keys))


def _space_in_object_key(body: dict[str, Any]) -> bool:  # `create.image_url`, open: the mock refuses (IMG.0175)
    url = body.get("image_url")
    return isinstance(url, str) and bool(re.search(r"\s", url.partition(":")[2]))


UNJUDGED: dict[str, Callable[[dict[str, Any]], bool]] = {
    "tag keys repeat (the spec's prose rule)": _repeated_tag_keys,
    "a space in the object key (create.image_url, open)": _space_in_object_key,
}


@pytest.fixture(scope="module")
def mock() -> Iterator[httpx.Client]:
    """The faithful mock with its defaults: every answer of this module comes from its own rules."""
    with serve() as url, httpx.Client(base_url=url, headers=TOKEN_HEADERS, timeout=10) as client:
        yield client


def _judge(
    mock: httpx.Client, prop: str, body: dict[str, Any], spec: jsonschema.protocols.Validator = BODY_VALIDATOR
) -> None:
    if any(exempt(body) for exempt in UNJUDGED.values()):
        return
    answer = mock.post(CREATE, json=body)
    if spec.is_valid(body):
        assert answer.status_code == 200, (
            f"the spec allows {prop}={json.dumps(body.get(prop), ensure_ascii=False)[:200]}; "
            f"the mock refuses it: {answer.status_code} {answer.text[:200]}"
        )
    else:
        assert answer.status_code == 400, (
            f"the spec forbids {prop}={json.dumps(body.get(prop), ensure_ascii=False)[:200]}; "
            f"the mock answers {answer.status_code} {answer.text[:200]}"
        )


_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@pytest.mark.parametrize("prop", sorted(BODY_SCHEMA["properties"]))
def test_the_mock_takes_what_the_spec_allows_in_the_create_body(mock: httpx.Client, prop: str) -> None:
    schema = BODY_SCHEMA["properties"][prop]

    @_SETTINGS
    @given(value=allowed(schema))
    def check(value: Json) -> None:
        body = {key: value for key, value in BASE_BODY.items() if key != prop} | {prop: value}
        _judge(mock, prop, body)

    check()


@pytest.mark.parametrize("prop", sorted(BODY_SCHEMA["properties"]))
def test_the_mock_refuses_what_the_spec_forbids_in_the_create_body(mock: httpx.Client, prop: str) -> None:
    schema = BODY_SCHEMA["properties"][prop]

    @_SETTINGS
    @given(value=forbidden(schema))
    def check(value: Json) -> None:
        body = {key: value for key, value in BASE_BODY.items() if key != prop} | {prop: value}
        _judge(mock, prop, body)

    check()


def test_a_property_the_spec_does_not_declare_is_refused_as_the_spec_says(mock: httpx.Client) -> None:
    assert BODY_SCHEMA.get("additionalProperties") is False
    _judge(mock, "unknown", {**BASE_BODY, "unknown": "x"})


def _wire(value: Json) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _as_schema_type(text: str, schema: dict[str, Any]) -> Json:
    """A query string as the type the parameter's schema declares (what OpenAPI's form style means)."""
    kind = schema.get("type")
    if kind == "integer" and text.isascii() and re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


@pytest.mark.parametrize("name", sorted(LIST_PARAMETERS))
def test_the_mock_honours_or_refuses_each_list_parameter_as_the_spec_says(mock: httpx.Client, name: str) -> None:
    schema = LIST_PARAMETERS[name]
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    # Refusals the contract documents for values the schema cannot tell apart: `flavor_id` (the mock
    # knows no flavors, list.query), a `marker` that names no image (list.paging), a day the calendar
    # does not have (list.time: the pattern allows the 31st of every month).
    documented_refusal = name in ("flavor_id", "marker")

    def no_such_day(text: str) -> bool:
        found = re.search(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text) if name in ("created_at", "updated_at") else None
        if found is None:
            return False
        year, month, day = map(int, found.groups())
        try:  # year 0000 as 2000, as the mock checks it: both are leap years
            datetime.date(year or 2000, month, day)
        except ValueError:
            return True
        return False

    @_SETTINGS
    @given(
        value=st.one_of(allowed(schema), forbidden(schema)).filter(lambda v: v is not None and not isinstance(v, dict))
    )
    def check(value: Json) -> None:
        text = _wire(value)
        answer = mock.get(LIST, params={name: text})
        if validator.is_valid(_as_schema_type(text, schema)) and not documented_refusal and not no_such_day(text):
            assert answer.status_code == 200, (
                f"the spec allows {name}={text!r}; the mock refuses it: {answer.text[:200]}"
            )
        else:
            assert answer.status_code == 400, (
                f"{name}={text!r}: expected 400, got {answer.status_code} {answer.text[:200]}"
            )

    check()


def test_an_added_optional_property_the_mock_refuses_is_named(mock: httpx.Client) -> None:
    """The check itself: a spec that gains a property the mock does not know fails, naming it."""
    widened = copy.deepcopy(BODY_SCHEMA)
    widened["properties"]["boot_mode"] = {"type": "string", "enum": ["bios", "uefi"]}
    spec = jsonschema.Draft202012Validator(widened)
    with pytest.raises(AssertionError, match='the spec allows boot_mode="uefi"; the mock refuses it: 400'):
        _judge(mock, "boot_mode", {**BASE_BODY, "boot_mode": "uefi"}, spec)


def test_the_routes_table_is_the_specs_paths() -> None:
    # The mock's one table of its API (`ims_mock.routes`) and the spec name the same operations.
    operations = {
        (method.upper(), path, operation["operationId"])
        for path, item in SPEC["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    spec_paths = {(method, re.sub(r"\{[^}]+\}", "{}", path), op) for method, path, op in operations}
    routes = {(r.method, re.sub(r"\{[^}]+\}", "{}", r.path), r.operation) for r in ROUTES}
    assert routes == spec_paths
