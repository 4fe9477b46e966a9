"""The createDataImage request rules (`create.*` of docs/contract.md), written by hand from the contract.

Deliberately independent of the OpenAPI spec: the mock never validates with the spec's schema, so
the spec and the mock can catch each other's mistakes. `RULES` is the one table of rule -> IMG code
-> message; `check_create` applies the rules in a fixed order and the first broken one decides.
Codes the contract leaves open (section 6) are this project's choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ims_mock.errors import ImsError


@dataclass(frozen=True)
class Rule:
    """One request rule: the code and message a request that breaks it gets."""

    code: str
    message: str


RULES: dict[str, Rule] = {
    "body.not-object": Rule("IMG.0001", "The request body must be a JSON object."),
    "body.unknown-property": Rule("IMG.0001", "The request body has a property that is not allowed."),
    "body.null": Rule("IMG.0001", "A property of the request body is null."),
    "name.missing": Rule("IMG.0013", "The image name is missing."),
    "name.too-long": Rule("IMG.0002", "The image name is longer than 128 characters."),
    "name.format": Rule("IMG.0003", "The image name is invalid."),
    "image_url.format": Rule("IMG.0017", "The image_url is invalid; use <bucket>:<object key>."),
    "min_disk.invalid": Rule("IMG.0055", "The disk size is invalid; min_disk must be an integer from 40 to 2048."),
    "description.too-long": Rule("IMG.0004", "The description is longer than 1024 characters."),
    "description.format": Rule("IMG.0054", "The description must not contain carriage returns, line feeds, < or >."),
    "os_type.invalid": Rule("IMG.0015", "The os_type must be Windows or Linux."),
    "cmk_id.invalid": Rule("IMG.0044", "The cmk_id must be a string of 1 to 255 characters."),
    "enterprise_project_id.invalid": Rule("IMG.0045", 'The enterprise_project_id must be "0" or a lowercase UUID.'),
    "tags.both": Rule("IMG.0117", "Use either tags or image_tags, not both."),
    "tags.too-many": Rule("IMG.0116", "An image may have at most 10 tags."),
    "tags.invalid": Rule("IMG.0115", "A tag is invalid."),
    "tags.duplicate-key": Rule("IMG.0115", "A tag key is repeated."),
}

ALLOWED_FIELDS = frozenset(
    {"name", "description", "os_type", "image_url", "min_disk", "cmk_id", "enterprise_project_id", "tags", "image_tags"}
)
MIN_DISK, MAX_DISK = 40, 2048
MAX_TAGS = 10

_NAME = re.compile(r"[A-Za-z0-9._-](?:[A-Za-z0-9._ -]*[A-Za-z0-9._-])?")
_NAME_WITH_EDGE_SPACES = re.compile(r"[A-Za-z0-9._ -]+")
_DESCRIPTION_FORBIDDEN = re.compile(r"[\r\n<>]")
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_TAG_KEY = re.compile(r"[A-Za-z0-9_-]{1,36}")
_TAG_KEY_ANY_LENGTH = re.compile(r"[A-Za-z0-9_-]+")
_TAG_VALUE = re.compile(r"[A-Za-z0-9_.-]{0,43}")
_TAG_VALUE_NO_DOTS = re.compile(r"[A-Za-z0-9_-]{0,43}")
_ENTERPRISE_PROJECT_ID = re.compile(r"0|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class RuleBroken(ImsError):
    """A 400 for the first request rule a body breaks."""

    rule_id: str

    def __init__(self, rule_id: str) -> None:
        rule = RULES[rule_id]
        super().__init__(400, rule.code, rule.message)
        object.__setattr__(self, "rule_id", rule_id)


@dataclass(frozen=True)
class CreateRequest:
    """A createDataImage body that passed every rule."""

    name: str
    image_url: str
    min_disk: int
    description: str
    os_type: str
    cmk_id: str | None
    enterprise_project_id: str | None
    tags: tuple[tuple[str, str], ...]


def check_create(body: Any, faults: frozenset[str] = frozenset()) -> CreateRequest:
    """Apply every rule in order; return the request, or raise RuleBroken for the first rule broken."""
    if not isinstance(body, dict):
        raise RuleBroken("body.not-object")
    if "accept-unknown-property" in faults:  # Planted bug: accept-unknown-property
        body = {key: value for key, value in body.items() if key in ALLOWED_FIELDS}
    if body.keys() - ALLOWED_FIELDS:
        raise RuleBroken("body.unknown-property")
    if "accept-null-field" in faults:  # Planted bug: accept-null-field
        body = {key: value for key, value in body.items() if value is not None or key in ("name", "image_url")}
    if any(value is None for value in body.values()):
        raise RuleBroken("body.null")

    name = _check_name(body, faults)
    image_url = _check_image_url(body, faults)
    min_disk = _check_min_disk(body, faults)
    description = _check_description(body, faults)
    os_type = body.get("os_type", "Linux")
    if os_type not in ("Windows", "Linux") and not (
        "accept-any-os-type" in faults and isinstance(os_type, str)  # Planted bug: accept-any-os-type
    ):
        raise RuleBroken("os_type.invalid")
    if os_type == "Windows" and "reject-windows-os-type" in faults:  # Planted bug: reject-windows-os-type
        raise RuleBroken("os_type.invalid")
    cmk_id = _check_cmk_id(body, faults)
    eid = body.get("enterprise_project_id")
    if (
        eid is not None
        and "accept-bad-enterprise-project-id" not in faults  # Planted bug: accept-bad-enterprise-project-id
        and not (isinstance(eid, str) and _ENTERPRISE_PROJECT_ID.fullmatch(eid))
    ):
        raise RuleBroken("enterprise_project_id.invalid")
    if eid == "0" and "reject-enterprise-project-id-zero" in faults:  # Planted bug: reject-enterprise-project-id-zero
        raise RuleBroken("enterprise_project_id.invalid")
    tags = _check_tags(body, faults)
    return CreateRequest(name, image_url, min_disk, description, str(os_type), cmk_id, eid, tags)


def _check_name(body: dict[str, Any], faults: frozenset[str]) -> str:
    if "name" not in body:
        raise RuleBroken("name.missing")
    name = body["name"]
    if not isinstance(name, str):
        raise RuleBroken("name.format")
    longest = 129 if "accept-name-129" in faults else 128  # Planted bug: accept-name-129
    if "reject-name-128" in faults:  # Planted bug: reject-name-128
        longest = 127
    if len(name) > longest:
        raise RuleBroken("name.too-long")
    edges_ok = bool(name) and name == name.strip()
    if "accept-unicode-name" in faults and edges_ok and all(c.isalnum() or c in "._- " for c in name):
        return name  # Planted bug: accept-unicode-name
    if "accept-name-punctuation" in faults and edges_ok and name.isascii() and name.isprintable():
        return name  # Planted bug: accept-name-punctuation
    if "accept-name-edge-spaces" in faults and _NAME_WITH_EDGE_SPACES.fullmatch(name) and name.strip():
        return name  # Planted bug: accept-name-edge-spaces
    if "reject-name-inner-space" in faults and " " in name:  # Planted bug: reject-name-inner-space
        raise RuleBroken("name.format")
    if not _NAME.fullmatch(name):
        raise RuleBroken("name.format")
    return name


def _check_cmk_id(body: dict[str, Any], faults: frozenset[str]) -> str | None:
    if "cmk_id" not in body:
        return None
    cmk_id = body["cmk_id"]
    shortest = 0 if "accept-empty-cmk-id" in faults else 1  # Planted bug: accept-empty-cmk-id
    longest = 254 if "reject-cmk-id-255" in faults else 255  # Planted bug: reject-cmk-id-255
    if not isinstance(cmk_id, str) or not shortest <= len(cmk_id) <= longest:
        raise RuleBroken("cmk_id.invalid")
    return cmk_id


def _check_image_url(body: dict[str, Any], faults: frozenset[str]) -> str:
    url = body.get("image_url")
    if not isinstance(url, str):
        raise RuleBroken("image_url.format")
    if "accept-bad-image-url" in faults:  # Planted bug: accept-bad-image-url
        return url
    bucket, colon, key = url.partition(":")
    if not colon or not _BUCKET.fullmatch(bucket) or not 1 <= len(key) <= 1024:
        raise RuleBroken("image_url.format")
    if "/" in key and "reject-object-key-with-slash" in faults:  # Planted bug: reject-object-key-with-slash
        raise RuleBroken("image_url.format")
    return url


def _check_min_disk(body: dict[str, Any], faults: frozenset[str]) -> int:
    value = body.get("min_disk")
    if "accept-string-min-disk" in faults and isinstance(value, str) and value.isdigit():
        value = int(value)  # Planted bug: accept-string-min-disk
    if "accept-fractional-min-disk" in faults and isinstance(value, float) and value == value:
        value = int(value) if abs(value) < 1e9 else value  # Planted bug: accept-fractional-min-disk
    if isinstance(value, float) and value.is_integer():
        if "reject-integral-float-min-disk" in faults:  # Planted bug: reject-integral-float-min-disk
            raise RuleBroken("min_disk.invalid")
        value = int(value)
    # bool is a subclass of int in Python; JSON true/false are not integers.
    if not isinstance(value, int) or isinstance(value, bool):
        raise RuleBroken("min_disk.invalid")
    lowest = 39 if "accept-min-disk-39" in faults else MIN_DISK  # Planted bug: accept-min-disk-39
    highest = 2049 if "accept-min-disk-2049" in faults else MAX_DISK  # Planted bug: accept-min-disk-2049
    if "reject-min-disk-2048" in faults:  # Planted bug: reject-min-disk-2048
        highest = 2047
    if not lowest <= value <= highest:
        raise RuleBroken("min_disk.invalid")
    return value


def _check_description(body: dict[str, Any], faults: frozenset[str]) -> str:
    if "description" not in body:
        if "require-description" in faults:  # Planted bug: require-description
            raise RuleBroken("description.format")
        return ""
    text = body["description"]
    if not isinstance(text, str):
        raise RuleBroken("description.format")
    longest = 1025 if "accept-description-1025" in faults else 1024  # Planted bug: accept-description-1025
    if len(text) > longest:
        raise RuleBroken("description.too-long")
    forbidden = _DESCRIPTION_FORBIDDEN.search(text)
    if forbidden and not ("accept-description-angle-brackets" in faults and forbidden.group() in "<>"):
        raise RuleBroken("description.format")  # (Planted bug above: accept-description-angle-brackets)
    if "reject-unicode-description" in faults and not text.isascii():  # Planted bug: reject-unicode-description
        raise RuleBroken("description.format")
    return text


def _check_tags(body: dict[str, Any], faults: frozenset[str]) -> tuple[tuple[str, str], ...]:
    if "tags" in body and "image_tags" in body and "accept-both-tag-fields" not in faults:
        raise RuleBroken("tags.both")  # (Planted bug on the line above: accept-both-tag-fields)
    pairs: list[tuple[str, str]] = []
    if "tags" in body:
        pairs += _tag_strings(body["tags"], faults)
    if "image_tags" in body:
        pairs += _tag_objects(body["image_tags"], faults)
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys) and "accept-duplicate-tag-keys" not in faults:
        raise RuleBroken("tags.duplicate-key")  # (Planted bug on the line above: accept-duplicate-tag-keys)
    return tuple(pairs)


def _tag_list(value: Any, faults: frozenset[str]) -> list[Any]:
    if not isinstance(value, list):
        raise RuleBroken("tags.invalid")
    most = 11 if "accept-11-tags" in faults else MAX_TAGS  # Planted bug: accept-11-tags
    if len(value) > most:
        raise RuleBroken("tags.too-many")
    return value


def _check_key_value(key: str, value: str, faults: frozenset[str]) -> tuple[str, str]:
    key_pattern = _TAG_KEY_ANY_LENGTH if "accept-long-tag-key" in faults else _TAG_KEY  # Planted bug
    value_pattern = _TAG_VALUE_NO_DOTS if "reject-tag-value-with-dots" in faults else _TAG_VALUE  # Planted bug
    if not key_pattern.fullmatch(key) or not value_pattern.fullmatch(value):
        raise RuleBroken("tags.invalid")
    return key, value


def _tag_strings(value: Any, faults: frozenset[str]) -> list[tuple[str, str]]:
    items = _tag_list(value, faults)
    if not items and "reject-empty-tag-list" in faults:  # Planted bug: reject-empty-tag-list
        raise RuleBroken("tags.invalid")
    pairs = []
    for item in items:
        if not isinstance(item, str):
            raise RuleBroken("tags.invalid")
        key, dot, tag_value = item.partition(".")
        if not dot and "reject-tag-without-dot" in faults:  # Planted bug: reject-tag-without-dot
            raise RuleBroken("tags.invalid")
        pairs.append(_check_key_value(key, tag_value, faults))
    return pairs


def _tag_objects(value: Any, faults: frozenset[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in _tag_list(value, faults):
        if not isinstance(item, dict):
            raise RuleBroken("tags.invalid")
        extra = item.keys() - {"key", "value"}
        if extra and "accept-image-tag-extra-property" not in faults:  # Planted bug on this line
            raise RuleBroken("tags.invalid")
        if "value" not in item and "reject-image-tag-without-value" in faults:  # Planted bug on this line
            raise RuleBroken("tags.invalid")
        key, tag_value = item.get("key"), item.get("value", "")
        if not isinstance(key, str) or not isinstance(tag_value, str):
            raise RuleBroken("tags.invalid")
        pairs.append(_check_key_value(key, tag_value, faults))
    return pairs
