"""The Hypothesis strategies of the create rules: values each rule allows, and values it refuses.

Each strategy is composed with `one_of` over named parts, one part per way a value can be right or
wrong, so a failure shrinks within its part and its name says which. Lengths are left to
`st.text(min_size=, max_size=)` and `st.lists`, never drawn first and then filled exactly, which
Hypothesis's guide warns shrinks badly. A refused value carries the IMG code where the contract
pins one (None where any IMG code conforms). The rows that use them are `rule_table.RULES`.
"""

from __future__ import annotations

import string
import uuid
from typing import Any

from hypothesis import strategies as st

from contract_tests.edges import SCRIPTS, Refusal

NAME_EDGE = string.ascii_letters + string.digits + "-._"
NAME_INNER = NAME_EDGE + " "
TAG_KEY = string.ascii_letters + string.digits + "_-"
TAG_VALUE = TAG_KEY + "."
BUCKET_EDGE = string.ascii_lowercase + string.digits
BUCKET_INNER = BUCKET_EDGE + "-."

Fields = dict[str, Any]


def _framed(edge: str, inner: str, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Text of `min_size` (at least 2) to `max_size` characters: one of `edge` at each end, `inner` between."""
    return st.builds(
        lambda first, middle, last: first + middle + last,
        st.sampled_from(edge),
        st.text(alphabet=inner, min_size=max(min_size - 2, 0), max_size=max_size - 2),
        st.sampled_from(edge),
    )


def _either(*options: Fields) -> st.SearchStrategy[Fields]:
    """One of `options` (each a body's fields): the same fault written as `tags` or as `image_tags`."""
    return st.sampled_from(options)


# --- names: 1-128 of [A-Za-z0-9-._ ], not starting or ending with a space ---------------------


def valid_names(min_size: int = 1, max_size: int = 128) -> st.SearchStrategy[str]:
    """Names the contract allows, every character class reachable, `min_size` to `max_size` long."""
    framed = _framed(NAME_EDGE, NAME_INNER, max(min_size, 2), max_size)
    return st.one_of(st.sampled_from(NAME_EDGE), framed) if min_size <= 1 else framed


FORBIDDEN_NAME_CHARACTERS = st.sampled_from(
    [
        *"!\"#$%&'()*+,/:;=?@[\\]^`{|}~<>",  # ASCII punctuation
        *"éüßñçøåÆ",  # Latin-1
        *"Жжλπ",  # Cyrillic, Greek
        *"中文镜像",  # CJK (the Chinese edition allows it; the contract does not)
        *"１٣",  # full-width and Arabic-Indic digits
        "😀",
        "🚀",
        "👍🏽",  # astral
        *[chr(c) for c in [*range(0, 32), 127, 0x85, 0xA0, 0x2028]],  # control and odd spaces
    ]
)


@st.composite
def _inserted(draw: st.DrawFn, base: st.SearchStrategy[str], bad: st.SearchStrategy[str]) -> str:
    """A value of `base` with one character of `bad` inserted anywhere in it."""
    text, character = draw(base), draw(bad)
    at = draw(st.integers(0, len(text)))
    return text[:at] + character + text[at:]


def forbidden_name_characters() -> st.SearchStrategy[str]:
    """A name of allowed length with a forbidden character in it, or a space at one end."""
    return st.one_of(
        valid_names(max_size=127).map(lambda name: " " + name),  # a leading space
        valid_names(max_size=127).map(lambda name: name + " "),  # a trailing space
        _inserted(valid_names(min_size=2, max_size=100), FORBIDDEN_NAME_CHARACTERS),  # a forbidden character
    )


# --- description: 0-1024 characters, anything but CR, LF, < and > -------------------------------

DESCRIPTION_CHARACTERS = st.characters(codec="utf-8", exclude_characters="\r\n<>")


def _repeated(characters: list[str], min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """One character of `characters` repeated `min_size` to `max_size` times: a length edge in every width."""
    return st.builds(lambda char, size: char * size, st.sampled_from(characters), st.integers(min_size, max_size))


def descriptions(min_size: int = 0, max_size: int = 1024) -> st.SearchStrategy[str]:
    """Descriptions the charset allows, of every script and width, `min_size` to `max_size` long."""
    return st.one_of(
        st.text(DESCRIPTION_CHARACTERS, min_size=min_size, max_size=min(max_size, 64)),
        _repeated([*SCRIPTS.values(), " ", "\t", "\u2028"], min_size, max_size),
    )


def forbidden_descriptions() -> st.SearchStrategy[str]:
    """A description of allowed length with CR, LF, < or > in it."""
    return _inserted(st.text(DESCRIPTION_CHARACTERS, max_size=50), st.sampled_from("\r\n<>"))


# --- image_url: bucket:object, split at the first colon ------------------------------------------


def buckets(min_size: int = 3, max_size: int = 63) -> st.SearchStrategy[str]:
    """OBS bucket names the contract allows: 3-63 of [a-z0-9.-], a letter or digit at both ends."""
    return _framed(BUCKET_EDGE, BUCKET_INNER, min_size, max_size)


# Object keys the contract allows. A space in the key is left out: the error-code table has IMG.0175
# ("folder and file names cannot contain spaces"), so whether a key may hold one is open.
object_keys = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_characters=" "), min_size=1, max_size=64),
    _repeated(["k", "/", ":", *SCRIPTS.values()], 1, 1024),
)


def _bucket_with_bad_end() -> st.SearchStrategy[str]:
    return st.builds(
        lambda bucket, edge, first: edge + bucket if first else bucket + edge,
        buckets(max_size=62),
        st.sampled_from("-."),
        st.booleans(),
    )


def forbidden_image_urls() -> st.SearchStrategy[str]:
    """image_url values that break one part of the rule: the bucket's length, characters or ends, the key."""
    bad_buckets = st.one_of(
        st.text(alphabet=BUCKET_EDGE, max_size=2),  # too short
        buckets(min_size=64, max_size=80),  # too long
        _inserted(buckets(), st.sampled_from([*string.ascii_uppercase, *"_ /@é数😀"])),  # a bad character
        _bucket_with_bad_end(),  # - or . at an end
    )
    return st.one_of(
        st.builds(lambda bucket, key: f"{bucket}:{key}", bad_buckets, object_keys),
        buckets().map(lambda bucket: bucket + ":"),  # an empty key
    )


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

# --- enterprise_project_id: "0" or a lowercase UUID ---------------------------------------------


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


forbidden_enterprise_project_ids = st.one_of(
    st.uuids().map(lambda u: str(u).upper()).filter(lambda s: s != s.lower()),  # uppercase
    st.uuids().map(lambda u: u.hex),  # without hyphens
    st.text(max_size=40).filter(lambda s: s != "0" and not _is_uuid(s)),  # anything else
)

# --- tags: "key.value" strings, or {"key", "value"} objects; never both -------------------------

tag_keys = st.text(alphabet=TAG_KEY, min_size=1, max_size=36)
tag_values = st.text(alphabet=TAG_VALUE, min_size=0, max_size=43)
# Characters no edition allows in a tag (a region that widens the international set still refuses
# =*<>\,|/ and CJK), and characters only the international set refuses (`create.tags.limits`: open).
BAD_TAG_CHARACTERS = st.sampled_from("=*<>\\,|/中")
PAST_INTERNATIONAL_TAG_CHARACTERS = st.sampled_from(" !@#$:éж😀")


def _distinct_pairs(min_size: int = 0, max_size: int = 10) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Tag (key, value) pairs with distinct keys."""
    return st.lists(st.tuples(tag_keys, tag_values), min_size=min_size, max_size=max_size, unique_by=lambda p: p[0])


def _as_strings(pairs: list[tuple[str, str]], bare: list[bool]) -> Fields:
    # A key with an empty value may be written "key" or "key.".
    return {"tags": [k if not v and b else f"{k}.{v}" for (k, v), b in zip(pairs, bare, strict=False)]}


def _as_objects(pairs: list[tuple[str, str]], bare: list[bool]) -> Fields:
    # A key with an empty value may leave `value` out or send it empty.
    return {
        "image_tags": [
            {"key": k} if not v and b else {"key": k, "value": v} for (k, v), b in zip(pairs, bare, strict=False)
        ]
    }


def valid_tag_fields(field: str) -> st.SearchStrategy[Fields]:
    """`tags` or `image_tags` alone (possibly empty), 0 to 10 items, distinct keys."""
    build = _as_strings if field == "tags" else _as_objects
    return st.builds(build, _distinct_pairs(), st.lists(st.booleans(), min_size=10, max_size=10))


def _both_ways(pairs: st.SearchStrategy[list[tuple[str, str]]]) -> st.SearchStrategy[Fields]:
    """The same tag list written as `tags` strings or as `image_tags` objects."""
    return pairs.flatmap(
        lambda many: _either({"tags": [f"{k}.{v}" for k, v in many]}, {"image_tags": [{"key": k} for k, _ in many]})
    )


def _with_key(keys: st.SearchStrategy[str]) -> st.SearchStrategy[Fields]:
    return keys.flatmap(lambda key: _either({"tags": [f"{key}.v"]}, {"image_tags": [{"key": key}]}))


def _with_value(values: st.SearchStrategy[str]) -> st.SearchStrategy[Fields]:
    return values.flatmap(
        lambda value: _either({"tags": [f"k.{value}"]}, {"image_tags": [{"key": "k", "value": value}]})
    )


def _refused_as(code: str, *parts: st.SearchStrategy[Fields]) -> st.SearchStrategy[Refusal]:
    return st.one_of(*parts).map(lambda fields: (fields, code))


def invalid_tag_fields() -> st.SearchStrategy[Refusal]:
    """Tag fields every edition refuses, one broken rule each, with the code the contract pins.

    Past the larger limits of the Chinese edition (21 tags and more, keys over 128, values over
    255): the international edition's limits are a rule of their own (`create.tags.limits`).
    """
    return st.one_of(
        _refused_as("IMG.0116", _both_ways(_distinct_pairs(21, 25))),  # too many tags
        _refused_as(
            "IMG.0115",
            _with_key(st.text(alphabet=TAG_KEY, min_size=129, max_size=160)),  # a key far too long
            _with_value(st.text(alphabet=TAG_VALUE, min_size=256, max_size=300)),  # a value far too long
            _either({"tags": [".v"]}, {"tags": [""]}, {"image_tags": [{"key": ""}]}),  # an empty key
            _with_key(BAD_TAG_CHARACTERS.map(lambda bad: f"k{bad}")),  # a bad key character
            _with_value(BAD_TAG_CHARACTERS.map(lambda bad: f"v{bad}")),  # a bad value character
            st.just({"image_tags": [{"value": "v"}]}),  # no key
            st.just({"image_tags": [{"key": "k", "value": "v", "extra": "x"}]}),  # another property
            st.sampled_from([1, {"key": "k"}, ["k"]]).map(lambda item: {"tags": [item]}),  # not a string
            _either({"tags": "k.v"}, {"image_tags": {"key": "k"}}, {"tags": {}}),  # not a list
        ),
    )


def duplicate_tag_keys() -> st.SearchStrategy[Fields]:
    """A tag list that names one key twice (`a` and `a.1` are the same key)."""

    def repeated(pairs: list[tuple[str, str]], other: str) -> st.SearchStrategy[Fields]:
        key = pairs[0][0]
        strings = [*(f"{k}.{v}" for k, v in pairs), f"{key}.{other}" if other else key]
        return _either({"tags": strings}, {"image_tags": [*({"key": k, "value": v} for k, v in pairs), {"key": key}]})

    return st.tuples(_distinct_pairs(min_size=1, max_size=9), tag_values).flatmap(lambda drawn: repeated(*drawn))


def tags_past_the_international_limits() -> st.SearchStrategy[Refusal]:
    """What the contract decides and leaves open on live services (`create.tags.limits`).

    That is 11-20 tags, keys of 37-128 and values of 44-255 characters, and characters past the
    international set that some regions allow.
    """
    return st.one_of(
        _refused_as("IMG.0116", _both_ways(_distinct_pairs(min_size=11, max_size=20))),
        _refused_as(
            "IMG.0115",
            _with_key(st.text(alphabet=TAG_KEY, min_size=37, max_size=128)),
            _with_value(st.text(alphabet=TAG_VALUE, min_size=44, max_size=255)),
            _with_key(PAST_INTERNATIONAL_TAG_CHARACTERS.map(lambda odd: f"k{odd}")),
            _with_value(PAST_INTERNATIONAL_TAG_CHARACTERS.map(lambda odd: f"v{odd}")),
        ),
    )


def both_tag_fields() -> st.SearchStrategy[Fields]:
    """`tags` and `image_tags` together, either or both possibly empty."""
    return st.builds(
        lambda pairs, strings, objects: {
            "tags": [f"{k}.{v}" for k, v in pairs] if strings else [],
            "image_tags": [{"key": k, "value": v} for k, v in pairs] if objects else [],
        },
        _distinct_pairs(min_size=0, max_size=5),
        st.booleans(),
        st.booleans(),
    )
