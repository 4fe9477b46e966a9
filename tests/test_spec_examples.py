"""The seed's bodies and every example in the spec are valid and survive the generated models."""

from __future__ import annotations

from typing import Any

import pytest

import ims_client.models
from tests.spec_helpers import (
    SEED_BODY_WITH_IMAGE_TAGS,
    SEED_BODY_WITH_TAGS,
    SpecExample,
    iter_examples,
    load_spec,
    validator,
)

EXAMPLES = list(iter_examples())


def _roundtrip(schema_name: str, value: dict[str, Any]) -> dict[str, Any]:
    model = getattr(ims_client.models, schema_name)
    result: dict[str, Any] = model.from_dict(value).to_dict()
    return result


@pytest.mark.parametrize("body", [SEED_BODY_WITH_TAGS, SEED_BODY_WITH_IMAGE_TAGS], ids=["tags", "image_tags"])
def test_seed_bodies_are_valid_requests_and_round_trip(body: dict[str, Any]) -> None:
    validator("#/components/schemas/CreateDataImageRequest").validate(body)
    assert _roundtrip("CreateDataImageRequest", body) == body


@pytest.mark.parametrize("version", ["v1", "v2.1"])
def test_the_spec_carries_the_seed_bodies_as_named_examples(version: str) -> None:
    spec = load_spec()
    body = spec["paths"][f"/{version}/cloudimages/dataimages/action"]["post"]["requestBody"]
    assert body == {"$ref": "#/components/requestBodies/CreateDataImage"}, "both creates take the one body"
    examples = spec["components"]["requestBodies"]["CreateDataImage"]["content"]["application/json"]["examples"]
    assert examples["withTags"]["value"] == SEED_BODY_WITH_TAGS
    assert examples["withImageTags"]["value"] == SEED_BODY_WITH_IMAGE_TAGS


def test_every_response_has_an_example() -> None:
    spec = load_spec()
    described = {example.where.rsplit(" (", 1)[0] for example in EXAMPLES}
    expected = {
        f"{method.upper()} {path} {status}"
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        for status in operation["responses"]
        if status != "204"
    }
    assert expected <= described, f"responses without an example: {sorted(expected - described)}"


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.where for example in EXAMPLES])
def test_every_spec_example_is_valid_and_round_trips(example: SpecExample) -> None:
    validator(f"#/components/schemas/{example.schema_name}").validate(example.value)
    assert _roundtrip(example.schema_name, example.value) == example.value
