"""The createDataImage request rules (`create.*` of docs/contract.md), written by hand from the contract.

Deliberately independent of the OpenAPI spec: the mock never validates with the spec's schema, so
the spec and the mock can catch each other's mistakes. `RULES` is the one table of rule -> IMG code
-> message; `check_create` applies the rules in a fixed order and the first broken one decides.
Codes the contract leaves open are this project's choice (docs/contract.md, "Open items").

Every limit and pattern is data, in `CreatePolicy`; its defaults are the contract. A policy can
switch a rule off (`off`) or add rules (`added`), which is how the fault layer (`faults/`) changes
what the mock accepts without this module knowing any fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
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
    "image_url.format": Rule("IMG.0017", "The URL format is incorrect: use <bucket>:<object key>."),
    "image_url.bucket": Rule("IMG.0109", "The bucket name contains invalid characters."),
    "image_url.spaces": Rule("IMG.0175", "The folder name and image file name cannot contain spaces."),
    "min_disk.invalid": Rule("IMG.0055", "The disk size is invalid; min_disk must be an integer from 40 to 2048."),
    "description.too-long": Rule("IMG.0004", "The description is longer than 1024 characters."),
    "description.format": Rule("IMG.0054", "The description must not contain carriage returns, line feeds, < or >."),
    "os_type.invalid": Rule("IMG.0056", "The OS type is invalid: os_type must be Windows or Linux."),
    "cmk_id.invalid": Rule("IMG.0095", "The KMS key does not exist: cmk_id must be a string of 1 to 255 characters."),
    "enterprise_project_id.invalid": Rule(
        "IMG.0155", 'Failed to check the enterprise project ID: it must be "0" or a lowercase UUID.'
    ),
    "tags.both": Rule("IMG.0001", "The request message format is invalid: use either tags or image_tags, not both."),
    "tags.too-many": Rule("IMG.0116", "An image may have at most 10 tags."),
    "tags.invalid": Rule("IMG.0115", "A tag is invalid."),
    "tags.object-property": Rule("IMG.0115", "An image_tags object may only have key and value."),
    "tags.duplicate-key": Rule("IMG.0115", "A tag key is repeated."),
}

ALLOWED_FIELDS = frozenset(
    {"name", "description", "os_type", "image_url", "min_disk", "cmk_id", "enterprise_project_id", "tags", "image_tags"}
)
REQUIRED_FIELDS = frozenset({"name", "image_url"})

# Names: letters, digits, '.', '_', '-' and inner spaces (`create.name`).
NAME = re.compile(r"[A-Za-z0-9._-](?:[A-Za-z0-9._ -]*[A-Za-z0-9._-])?")
# The Chinese edition also allows Chinese characters (CJK Unified Ideographs): an open choice.
_NAME_END = r"[A-Za-z0-9._\u4e00-\u9fff-]"
NAME_WITH_CHINESE = re.compile(rf"{_NAME_END}(?:[A-Za-z0-9._ \u4e00-\u9fff-]*{_NAME_END})?")
# An OBS bucket name, a colon, then an object key of 1 to 1,024 characters (`create.image-url`).
IMAGE_URL = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]:.{1,1024}", re.DOTALL)
BUCKET_CHARACTERS = re.compile(r"[a-z0-9.-]+")
ENTERPRISE_PROJECT_ID = re.compile(r"0|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class AddedRule:
    """A rule beyond the contract: `breaks(body)` says whether a body (that passed every other rule) breaks it.

    A body that breaks it gets the code and message of `RULES[rule_id]`.
    """

    rule_id: str
    breaks: Callable[[dict[str, Any]], bool]


@dataclass(frozen=True)
class CreatePolicy:
    """Every limit and pattern of the create rules; the defaults are the contract's."""

    name_length: tuple[int, int] = (1, 128)
    name: re.Pattern[str] = NAME
    description_length: int = 1024
    description_forbidden: re.Pattern[str] = re.compile(r"[\r\n<>]")
    image_url: re.Pattern[str] = IMAGE_URL
    min_disk: tuple[int, int] = (40, 2048)
    # The JSON forms min_disk may take: "integer" (40) and "integral-float" (40.0) by the contract;
    # "fraction" (40.5, truncated) and "digit-string" ("40") are not.
    min_disk_forms: frozenset[str] = frozenset({"integer", "integral-float"})
    os_types: frozenset[str] | None = frozenset({"Windows", "Linux"})  # None: any string
    default_os_type: str = "Linux"
    cmk_id_length: tuple[int, int] = (1, 255)
    enterprise_project_id: re.Pattern[str] = ENTERPRISE_PROJECT_ID
    max_tags: int = 10  # items of `tags`
    max_image_tags: int = 10  # items of `image_tags`
    tag_key: re.Pattern[str] = re.compile(r"[A-Za-z0-9_-]{1,36}")
    tag_value: re.Pattern[str] = re.compile(r"[A-Za-z0-9_.-]{0,43}")
    off: frozenset[str] = frozenset()  # ids of RULES not enforced
    added: tuple[AddedRule, ...] = field(default=())

    def enforce(self, rule_id: str) -> None:
        """Raise RuleBroken for `rule_id`, unless this policy switches that rule off."""
        if rule_id not in self.off:
            raise RuleBroken(rule_id)


CONTRACT = CreatePolicy()


class RuleBroken(ImsError):
    """A 400 for the first request rule a body breaks."""

    rule_id: str

    def __init__(self, rule_id: str) -> None:
        rule = RULES[rule_id]
        super().__init__(400, rule.code, rule.message, rule=rule_id)
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


def check_create(body: Any, policy: CreatePolicy = CONTRACT) -> CreateRequest:
    """Apply every rule in order; return the request, or raise RuleBroken for the first rule broken."""
    if not isinstance(body, dict):
        raise RuleBroken("body.not-object")
    if body.keys() - ALLOWED_FIELDS:
        policy.enforce("body.unknown-property")
        body = {key: value for key, value in body.items() if key in ALLOWED_FIELDS}
    if any(value is None for value in body.values()):
        policy.enforce("body.null")
        body = {key: value for key, value in body.items() if value is not None}

    name = _check_name(body, policy)
    image_url = _check_image_url(body.get("image_url"), policy)
    min_disk = _check_min_disk(body.get("min_disk"), policy)
    description = _check_description(body, policy)
    os_type = body.get("os_type", policy.default_os_type)
    if not isinstance(os_type, str) or (policy.os_types is not None and os_type not in policy.os_types):
        raise RuleBroken("os_type.invalid")
    cmk_id = body.get("cmk_id")
    shortest, longest = policy.cmk_id_length
    if cmk_id is not None and not (isinstance(cmk_id, str) and shortest <= len(cmk_id) <= longest):
        raise RuleBroken("cmk_id.invalid")
    eid = body.get("enterprise_project_id")
    if eid is not None and not (isinstance(eid, str) and policy.enterprise_project_id.fullmatch(eid)):
        raise RuleBroken("enterprise_project_id.invalid")
    tags = _check_tags(body, policy)
    for added in policy.added:
        if added.breaks(body):
            raise RuleBroken(added.rule_id)
    return CreateRequest(name, image_url, min_disk, description, os_type, cmk_id, eid, tags)


def _check_image_url(image_url: Any, policy: CreatePolicy) -> str:
    if not isinstance(image_url, str) or not policy.image_url.fullmatch(image_url):
        bucket, colon, key = image_url.partition(":") if isinstance(image_url, str) else ("", "", "")
        if colon and key and 3 <= len(bucket) <= 63 and not BUCKET_CHARACTERS.fullmatch(bucket):
            raise RuleBroken("image_url.bucket")
        raise RuleBroken("image_url.format")
    if " " in image_url.partition(":")[2]:
        policy.enforce("image_url.spaces")
    return image_url


def _check_name(body: dict[str, Any], policy: CreatePolicy) -> str:
    if "name" not in body:
        raise RuleBroken("name.missing")
    name = body["name"]
    if not isinstance(name, str):
        raise RuleBroken("name.format")
    shortest, longest = policy.name_length
    if len(name) > longest:
        raise RuleBroken("name.too-long")
    if len(name) < shortest or not policy.name.fullmatch(name):
        raise RuleBroken("name.format")
    return name


def _check_min_disk(value: Any, policy: CreatePolicy) -> int:
    forms = policy.min_disk_forms
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 6 and "digit-string" in forms:
        value = int(value)
    if isinstance(value, float) and (
        (value.is_integer() and "integral-float" in forms) or (abs(value) < 1e9 and "fraction" in forms)
    ):
        value = int(value)
    # bool is a subclass of int in Python; JSON true/false are not integers.
    if not isinstance(value, int) or isinstance(value, bool):
        raise RuleBroken("min_disk.invalid")
    lowest, highest = policy.min_disk
    if not lowest <= value <= highest:
        raise RuleBroken("min_disk.invalid")
    return value


def _check_description(body: dict[str, Any], policy: CreatePolicy) -> str:
    text = body.get("description", "")
    if not isinstance(text, str):
        raise RuleBroken("description.format")
    if len(text) > policy.description_length:
        raise RuleBroken("description.too-long")
    if policy.description_forbidden.search(text):
        raise RuleBroken("description.format")
    return text


def _check_tags(body: dict[str, Any], policy: CreatePolicy) -> tuple[tuple[str, str], ...]:
    if "tags" in body and "image_tags" in body:
        policy.enforce("tags.both")
    pairs: list[tuple[str, str]] = []
    if "tags" in body:
        for item in _tag_list(body["tags"], policy.max_tags):
            if not isinstance(item, str):
                raise RuleBroken("tags.invalid")
            key, _, value = item.partition(".")
            pairs.append(_check_key_value(key, value, policy))
    if "image_tags" in body:
        for item in _tag_list(body["image_tags"], policy.max_image_tags):
            if not isinstance(item, dict):
                raise RuleBroken("tags.invalid")
            if item.keys() - {"key", "value"}:
                policy.enforce("tags.object-property")
            object_key, object_value = item.get("key"), item.get("value", "")
            if not isinstance(object_key, str) or not isinstance(object_value, str):
                raise RuleBroken("tags.invalid")
            pairs.append(_check_key_value(object_key, object_value, policy))
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        policy.enforce("tags.duplicate-key")
    return tuple(pairs)


def _tag_list(value: Any, most: int) -> list[Any]:
    if not isinstance(value, list):
        raise RuleBroken("tags.invalid")
    if len(value) > most:
        raise RuleBroken("tags.too-many")
    return value


def _check_key_value(key: str, value: str, policy: CreatePolicy) -> tuple[str, str]:
    if not policy.tag_key.fullmatch(key) or not policy.tag_value.fullmatch(value):
        raise RuleBroken("tags.invalid")
    return key, value
