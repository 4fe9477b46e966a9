"""Every Hypothesis strategy of the contract suite, in one module.

Each strategy draws values on one side of a `create.*` rule of docs/contract.md: `valid_*` values must be
accepted, `invalid_*` values rejected with 400. They are written from the contract, not derived
from the spec, so the suite also catches a spec and a server that are wrong together.
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

NAME_EDGE = string.ascii_letters + string.digits + "-._"
NAME_INNER = NAME_EDGE + " "
TAG_KEY = string.ascii_letters + string.digits + "_-"
TAG_VALUE = TAG_KEY + "."
BASE_BODY: dict[str, Any] = {"image_url": "image-test:fedora_data1.qcow2", "min_disk": 40}

# --- names: 1-128 of [A-Za-z0-9-._ ], not starting or ending with a space ---------------------


@st.composite
def valid_names(draw: st.DrawFn, min_size: int = 1, max_size: int = 128) -> str:
    """Names the contract allows, every character class reachable, lengths 1 to 128."""
    size = draw(st.integers(min_size, max_size))
    if size == 1:
        return draw(st.sampled_from(NAME_EDGE))
    first, last = draw(st.sampled_from(NAME_EDGE)), draw(st.sampled_from(NAME_EDGE))
    middle = draw(st.text(alphabet=NAME_INNER, min_size=size - 2, max_size=size - 2))
    return first + middle + last


FORBIDDEN_NAME_CHARACTERS = {
    "punctuation": st.sampled_from("!\"#$%&'()*+,/:;=?@[\\]^`{|}~"),
    "angle brackets": st.sampled_from("<>"),
    "Unicode letters": st.sampled_from("éüßñçøåÆЖжλπ中文镜像"),
    "emoji": st.sampled_from(["😀", "🚀", "💾", "👍🏽"]),
    "control characters": st.sampled_from([chr(c) for c in [*range(0, 32), 127]]),
}


@st.composite
def invalid_names(draw: st.DrawFn) -> str:
    """Names the contract forbids: empty, 129+, edge spaces, each forbidden character class."""
    kind = draw(st.sampled_from(["empty", "too long", "leading space", "trailing space", *FORBIDDEN_NAME_CHARACTERS]))
    if kind == "empty":
        return ""
    if kind == "too long":
        return draw(valid_names(min_size=129, max_size=300))
    if kind == "leading space":
        return " " + draw(valid_names(max_size=127))
    if kind == "trailing space":
        return draw(valid_names(max_size=127)) + " "
    bad = draw(FORBIDDEN_NAME_CHARACTERS[kind])
    base = draw(valid_names(min_size=2, max_size=100))
    at = draw(st.integers(0, len(base)))
    return base[:at] + bad + base[at:]


# --- min_disk: an integer from 40 to 2048 (40.0 counts; booleans and strings do not) -------------

valid_min_disks = st.one_of(
    st.sampled_from([40, 41, 2047, 2048]),
    st.integers(40, 2048),
    st.sampled_from([40.0, 2048.0]),
)
invalid_min_disks = st.one_of(
    st.sampled_from([39, 2049, 0, -1, -40, 40.5, 2047.5, 10**12, -(10**12), True, False, "40", "", [], {}]),
    st.integers(max_value=39),
    st.integers(min_value=2049),
    st.floats(40, 2048).filter(lambda f: not f.is_integer()),
    st.text(max_size=5),
)

# --- tags: "key.value" strings, or {"key", "value"} objects; never both -------------------------

tag_keys = st.text(alphabet=TAG_KEY, min_size=1, max_size=36)
tag_values = st.text(alphabet=TAG_VALUE, min_size=0, max_size=43)


@st.composite
def _distinct_pairs(draw: st.DrawFn, min_size: int = 0, max_size: int = 10) -> list[tuple[str, str]]:
    keys = draw(st.lists(tag_keys, min_size=min_size, max_size=max_size, unique=True))
    return [(key, draw(tag_values)) for key in keys]


@st.composite
def valid_tag_fields(draw: st.DrawFn) -> dict[str, Any]:
    """`tags` only, or `image_tags` only (possibly empty), 0 to 10 items, distinct keys."""
    pairs = draw(_distinct_pairs())
    if draw(st.booleans()):
        # A key with an empty value may be written "key" or "key.".
        return {"tags": [f"{k}.{v}" if v or draw(st.booleans()) else k for k, v in pairs]}
    return {"image_tags": [{"key": k, "value": v} if v or draw(st.booleans()) else {"key": k} for k, v in pairs]}


@st.composite
def invalid_tag_fields(draw: st.DrawFn, open_items: bool = False) -> dict[str, Any]:
    """Tag fields the contract rejects, one broken rule each.

    With `open_items`, only what the contract decides but leaves open on live services
    (`create.tags.limits`, `create.tags.exclusive`): both fields, 11 to 20 tags, keys of 37 to 128
    and values of 44 to 255 characters. Without, only what every edition refuses: past those
    larger limits (21 tags and more, keys over 128, values over 255) and every other broken rule.
    """
    kinds = ["both fields", "11 tags", "key too long", "value too long"]
    if not open_items:
        kinds = [
            "too many tags",
            "duplicate keys",
            "key far too long",
            "value far too long",
            "empty key",
            "bad key character",
            "bad value character",
            "missing key",
            "extra property",
            "not a string",
            "not a list",
        ]
    kind = draw(st.sampled_from(kinds))
    pairs = draw(_distinct_pairs(min_size=1, max_size=9))
    strings = [f"{k}.{v}" for k, v in pairs]
    objects = [{"key": k, "value": v} for k, v in pairs]
    if kind == "both fields":
        return {"tags": draw(st.sampled_from([strings, []])), "image_tags": draw(st.sampled_from([objects, []]))}
    if kind in ("11 tags", "too many tags"):
        many = draw(_distinct_pairs(min_size=11, max_size=20) if kind == "11 tags" else _distinct_pairs(21, 25))
        return draw(
            st.sampled_from([{"tags": [f"{k}.{v}" for k, v in many]}, {"image_tags": [{"key": k} for k, _ in many]}])
        )
    if kind == "duplicate keys":
        key, value = pairs[0]
        other = draw(tag_values)
        return draw(
            st.sampled_from(
                [
                    {"tags": [*strings, f"{key}.{other}" if other else key]},
                    {"image_tags": [*objects, {"key": key, "value": other}]},
                ]
            )
        )
    if kind in ("key too long", "key far too long"):
        shortest, longest = (37, 128) if kind == "key too long" else (129, 160)
        key = draw(st.text(alphabet=TAG_KEY, min_size=shortest, max_size=longest))
        return draw(st.sampled_from([{"tags": [f"{key}.v"]}, {"image_tags": [{"key": key}]}]))
    if kind in ("value too long", "value far too long"):
        shortest, longest = (44, 255) if kind == "value too long" else (256, 300)
        value = draw(st.text(alphabet=TAG_VALUE, min_size=shortest, max_size=longest))
        return draw(st.sampled_from([{"tags": [f"k.{value}"]}, {"image_tags": [{"key": "k", "value": value}]}]))
    if kind == "empty key":
        return draw(st.sampled_from([{"tags": [".v"]}, {"tags": [""]}, {"image_tags": [{"key": ""}]}]))
    if kind == "bad key character":
        bad = draw(st.sampled_from(" !@#$/:<>é中😀"))
        return draw(st.sampled_from([{"tags": [f"k{bad}.v"]}, {"image_tags": [{"key": f"k{bad}"}]}]))
    if kind == "bad value character":
        bad = draw(st.sampled_from(" !@#$/:<>é中😀"))
        return draw(st.sampled_from([{"tags": [f"k.v{bad}"]}, {"image_tags": [{"key": "k", "value": f"v{bad}"}]}]))
    if kind == "missing key":
        return {"image_tags": [{"value": "v"}]}
    if kind == "extra property":
        return {"image_tags": [{"key": "k", "value": "v", "extra": "x"}]}
    if kind == "not a string":
        return {"tags": [draw(st.sampled_from([1, None, {"key": "k"}, ["k"]]))]}
    return draw(st.sampled_from([{"tags": "k.v"}, {"image_tags": {"key": "k"}}, {"tags": None}]))


def body_with(**fields: Any) -> dict[str, Any]:
    """A valid create body (the seed's file and a unique-enough name) with `fields` replacing its own."""
    return {"name": "contract-test", **BASE_BODY, **fields}
