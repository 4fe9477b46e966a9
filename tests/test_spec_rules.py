"""The spec's request schema holds every `create.*` rule of docs/contract.md, on both sides of each bound."""

from __future__ import annotations

from typing import Any

import pytest

from tests.spec_helpers import is_valid_request

BASE: dict[str, Any] = {"name": "fedora-data1", "image_url": "image-test:fedora_data1.qcow2", "min_disk": 40}
UUID = "0f1e2d3c-4b5a-4697-8877-665544332211"
_MISSING = object()

# (rule, field, value, valid): the body is BASE with `field` set to `value` (or removed with _MISSING).
CASES: list[tuple[str, str, Any, bool]] = [
    # min_disk: 40 <= n <= 2048, integers only (40.0 counts, as in JSON Schema).
    ("min_disk below", "min_disk", 39, False),
    ("min_disk lowest", "min_disk", 40, True),
    ("min_disk above lowest", "min_disk", 41, True),
    ("min_disk highest", "min_disk", 2048, True),
    ("min_disk above", "min_disk", 2049, False),
    ("min_disk negative", "min_disk", -40, False),
    ("min_disk huge", "min_disk", 10**30, False),
    ("min_disk integral float", "min_disk", 40.0, True),
    ("min_disk fraction", "min_disk", 40.5, False),
    ("min_disk boolean", "min_disk", True, False),
    ("min_disk string", "min_disk", "40", False),
    ("min_disk null", "min_disk", None, False),
    ("min_disk missing", "min_disk", _MISSING, False),
    # name: 1-128 of [A-Za-z0-9-._ ], no edge spaces.
    ("name empty", "name", "", False),
    ("name length 1", "name", "a", True),
    ("name length 128", "name", "a" * 128, True),
    ("name length 129", "name", "a" * 129, False),
    ("name every allowed class", "name", "Az09-._ x", True),
    ("name inner spaces", "name", "a  b", True),
    ("name leading space", "name", " a", False),
    ("name trailing space", "name", "a ", False),
    ("name only a space", "name", " ", False),
    ("name punctuation", "name", "a!b", False),
    ("name angle bracket", "name", "a<b", False),
    ("name slash", "name", "a/b", False),
    ("name Unicode letter", "name", "é", False),
    ("name Chinese", "name", "镜像", False),
    ("name emoji", "name", "img😀", False),
    ("name tab", "name", "a\tb", False),
    ("name line feed inside", "name", "a\nb", False),
    ("name trailing line feed", "name", "a\n", False),
    ("name NUL", "name", "a\x00b", False),
    ("name null", "name", None, False),
    ("name missing", "name", _MISSING, False),
    # description: 0-1024, no CR, LF, < or >.
    ("description empty", "description", "", True),
    ("description 1024", "description", "x" * 1024, True),
    ("description 1025", "description", "x" * 1025, False),
    ("description spaces and Unicode", "description", "Data disk 1 of Fedora, 数据盘 é", True),
    ("description <", "description", "a<b", False),
    ("description >", "description", "a>b", False),
    ("description CR", "description", "a\rb", False),
    ("description LF", "description", "a\nb", False),
    ("description trailing LF", "description", "ab\n", False),
    ("description null", "description", None, False),
    # os_type: Windows or Linux, case-sensitive.
    ("os_type Windows", "os_type", "Windows", True),
    ("os_type Linux", "os_type", "Linux", True),
    ("os_type lowercase", "os_type", "linux", False),
    ("os_type other", "os_type", "BSD", False),
    ("os_type null", "os_type", None, False),
    # image_url: bucket (3-63, [a-z0-9.-], alnum edges) ':' key (1-1024).
    ("image_url shortest bucket", "image_url", "abc:k", True),
    ("image_url bucket 2", "image_url", "ab:k", False),
    ("image_url bucket 63", "image_url", "b" * 63 + ":k", True),
    ("image_url bucket 64", "image_url", "b" * 64 + ":k", False),
    ("image_url bucket uppercase", "image_url", "Abc:k", False),
    ("image_url bucket leading dash", "image_url", "-abc:k", False),
    ("image_url bucket trailing dot", "image_url", "abc.:k", False),
    ("image_url bucket underscore", "image_url", "ab_c:k", False),
    ("image_url no colon", "image_url", "abc", False),
    ("image_url empty key", "image_url", "abc:", False),
    ("image_url key 1024", "image_url", "abc:" + "k" * 1024, True),
    ("image_url key 1025", "image_url", "abc:" + "k" * 1025, False),
    ("image_url split at first colon", "image_url", "abc:dir/a:b.qcow2", True),
    ("image_url null", "image_url", None, False),
    ("image_url missing", "image_url", _MISSING, False),
    # cmk_id: 1-255 of anything.
    ("cmk_id empty", "cmk_id", "", False),
    ("cmk_id 1", "cmk_id", "k", True),
    ("cmk_id 255", "cmk_id", "k" * 255, True),
    ("cmk_id 256", "cmk_id", "k" * 256, False),
    ("cmk_id null", "cmk_id", None, False),
    # enterprise_project_id: "0" or a lowercase UUID.
    ("enterprise_project_id 0", "enterprise_project_id", "0", True),
    ("enterprise_project_id uuid", "enterprise_project_id", UUID, True),
    ("enterprise_project_id uppercase uuid", "enterprise_project_id", UUID.upper(), False),
    ("enterprise_project_id 1", "enterprise_project_id", "1", False),
    ("enterprise_project_id null", "enterprise_project_id", None, False),
    # tags: 0-10 "key.value" strings, key 1-36 [A-Za-z0-9_-], value 0-43 [A-Za-z0-9_.-].
    ("tags empty list", "tags", [], True),
    ("tags 10", "tags", [f"k{i}.v" for i in range(10)], True),
    ("tags 11", "tags", [f"k{i}.v" for i in range(11)], False),
    ("tags without a dot", "tags", ["aaa"], True),
    ("tags key 36", "tags", ["k" * 36 + ".v"], True),
    ("tags key 37", "tags", ["k" * 37 + ".v"], False),
    ("tags value 43", "tags", ["k." + "v" * 43], True),
    ("tags value 44", "tags", ["k." + "v" * 44], False),
    ("tags value with dots", "tags", ["k.1.2.3"], True),
    ("tags empty value", "tags", ["k."], True),
    ("tags empty key", "tags", [".v"], False),
    ("tags key with space", "tags", ["a b.v"], False),
    ("tags value with colon", "tags", ["k.a:b"], False),
    ("tags duplicate item", "tags", ["k.v", "k.v"], False),
    ("tags non-string item", "tags", [1], False),
    ("tags null item", "tags", [None], False),
    ("tags null", "tags", None, False),
    # image_tags: 0-10 {key, value?}, same character and length rules, nothing else.
    ("image_tags empty list", "image_tags", [], True),
    ("image_tags key only", "image_tags", [{"key": "k"}], True),
    ("image_tags empty value", "image_tags", [{"key": "k", "value": ""}], True),
    ("image_tags 10", "image_tags", [{"key": f"k{i}", "value": "v"} for i in range(10)], True),
    ("image_tags 11", "image_tags", [{"key": f"k{i}", "value": "v"} for i in range(11)], False),
    ("image_tags key 36", "image_tags", [{"key": "k" * 36}], True),
    ("image_tags key 37", "image_tags", [{"key": "k" * 37}], False),
    ("image_tags empty key", "image_tags", [{"key": ""}], False),
    ("image_tags key with dot", "image_tags", [{"key": "a.b"}], False),
    ("image_tags value 43", "image_tags", [{"key": "k", "value": "v" * 43}], True),
    ("image_tags value 44", "image_tags", [{"key": "k", "value": "v" * 44}], False),
    ("image_tags value with dots", "image_tags", [{"key": "k", "value": "1.2"}], True),
    ("image_tags missing key", "image_tags", [{"value": "v"}], False),
    ("image_tags extra property", "image_tags", [{"key": "k", "value": "v", "x": "y"}], False),
    ("image_tags null value", "image_tags", [{"key": "k", "value": None}], False),
    ("image_tags duplicate item", "image_tags", [{"key": "k"}, {"key": "k"}], False),
    ("image_tags null", "image_tags", None, False),
    # Unknown properties are rejected.
    ("unknown property", "image_type", "DataImage", False),
    ("unknown null property", "foo", None, False),
]


@pytest.mark.parametrize(("field", "value", "valid"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_request_field_is_accepted_or_rejected_as_the_contract_says(field: str, value: Any, valid: bool) -> None:
    body = dict(BASE)
    if value is _MISSING:
        del body[field]
    else:
        body[field] = value
    assert is_valid_request(body) is valid, f"{field}={value!r}: expected {'valid' if valid else 'invalid'}"


@pytest.mark.parametrize(
    ("tags", "image_tags"),
    [(["a.1"], [{"key": "b"}]), ([], []), (["a.1"], []), ([], [{"key": "b"}])],
    ids=["both filled", "both empty", "image_tags empty", "tags empty"],
)
def test_sending_both_tag_fields_is_rejected_even_when_one_is_empty(tags: list[str], image_tags: list[Any]) -> None:
    assert not is_valid_request({**BASE, "tags": tags, "image_tags": image_tags})


@pytest.mark.parametrize("body", [None, [], "x", 1, {}], ids=["null", "array", "string", "number", "empty object"])
def test_a_body_that_is_not_a_complete_object_is_rejected(body: object) -> None:
    assert not is_valid_request(body)


def test_the_seed_minimal_body_is_valid() -> None:
    assert is_valid_request(BASE)


@pytest.mark.parametrize(
    ("field", "value"),
    [("tags", ["a", "a.1"]), ("tags", ["a.1", "a.2"]), ("image_tags", [{"key": "a"}, {"key": "a", "value": "1"}])],
)
def test_duplicate_tag_keys_with_different_values_are_left_to_the_server(field: str, value: list[Any]) -> None:
    # JSON Schema can only reject identical items (uniqueItems); keys repeated with different
    # values are a rule the spec states in prose and the servers enforce (the mock's tests cover it).
    assert is_valid_request({**BASE, field: value})
