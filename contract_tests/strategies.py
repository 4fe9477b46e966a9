"""Every create-body value the contract suite sends, one row per rule of docs/contract.md.

`RULES` holds one `RuleRow` per `create.*` rule: its explicit edges (each length and character
limit just inside and just outside, in characters of every width and script: ASCII, Latin-1,
Cyrillic, CJK, astral), and Hypothesis strategies that draw values on either side of it. A refused
value carries the IMG code where the contract pins one (None where any IMG code conforms).

The rows are written from the contract, not derived from the spec, so the suite also catches a
spec and a server that are wrong together.
"""

from __future__ import annotations

import string
import uuid
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

NAME_EDGE = string.ascii_letters + string.digits + "-._"
NAME_INNER = NAME_EDGE + " "
TAG_KEY = string.ascii_letters + string.digits + "_-"
TAG_VALUE = TAG_KEY + "."
BUCKET_EDGE = string.ascii_lowercase + string.digits
BUCKET_INNER = BUCKET_EDGE + "-."
BASE_BODY: dict[str, Any] = {"image_url": "image-test:fedora_data1.qcow2", "min_disk": 40}
UUID = "5b2c9e3a-7f41-4d0e-9a6b-1c2d3e4f5a6b"

# Text of every width: 1 byte (ASCII), 2 (Latin-1, Cyrillic), 3 (CJK) and 4 bytes (astral: 2 UTF-16 units).
SCRIPTS = {"ASCII": "d", "Latin-1": "é", "Cyrillic": "ж", "CJK": "数", "astral": "😀"}


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()  # as a field's value: the field is left out of the body
# The IMG code a refusal must carry: one, any of several the table gives the same meaning, or None
# (any IMG code: the table documents none for the rule).
Codes = str | tuple[str, ...] | None
OS_TYPE_CODES = ("IMG.0056", "IMG.0122")  # both documented as "the OS type is invalid"
IMAGE_URL_CODES = (
    "IMG.0017",
    "IMG.0109",
)  # "the URL format is incorrect", "the bucket name contains invalid characters"


def body_with(**fields: Any) -> dict[str, Any]:
    """A valid create body (the seed's file and a plain name) with `fields` replacing its own."""
    body = {"name": "contract-test", **BASE_BODY, **fields}
    return {key: value for key, value in body.items() if value is not ABSENT}


@dataclass(frozen=True)
class Edge:
    """One boundary example: the fields a body carries, whether the rule allows them, the code it pins."""

    case: str
    fields: dict[str, Any]
    allowed: bool
    code: Codes = None
    # Why a live service may answer this edge the other way without breaking the contract (it names
    # a resource the contract says nothing about, or the sources disagree): on a target other than
    # the embedded mock the other answer is then observed and reported, not failed.
    live_open: str = ""


def ok(case: str, **fields: Any) -> Edge:
    """An edge the contract allows."""
    return Edge(case, fields, True)


def ok_unless_missing(case: str, resource: str, **fields: Any) -> Edge:
    """An edge the contract allows by its form, naming a `resource` a live account may not have."""
    return Edge(case, fields, True, live_open=f"the contract pins the form only; this {resource} may not exist")


def no(case: str, code: Codes = None, **fields: Any) -> Edge:
    """An edge the contract refuses, with the IMG code (or codes) it pins (None: any IMG code)."""
    return Edge(case, fields, False, code)


def no_unless_open(case: str, why: str, code: Codes = None, **fields: Any) -> Edge:
    """An edge the mock refuses where the sources leave the choice open: a live acceptance is observed."""
    return Edge(case, fields, False, code, live_open=why)


def ok_unless_open(case: str, why: str, **fields: Any) -> Edge:
    """An edge the mock accepts where the sources leave the choice open: a live refusal is observed."""
    return Edge(case, fields, True, live_open=why)


Refusal = tuple[dict[str, Any], Codes]  # the fields, and the IMG code(s) the contract pins


@dataclass(frozen=True)
class RuleRow:
    """One rule: its edges, and strategies for fields it allows and for fields it refuses (with the code)."""

    rule: str
    edges: tuple[Edge, ...]
    allowed: st.SearchStrategy[dict[str, Any]] | None = None
    refused: st.SearchStrategy[Refusal] | None = None
    examples: int = 10  # Hypothesis examples on each side in the ci profile (ten times as many when thorough)


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
def forbidden_name_characters(draw: st.DrawFn) -> str:
    """A name of allowed length with a forbidden character in it, or a space at one end."""
    kind = draw(st.sampled_from(["character", "leading space", "trailing space"]))
    if kind == "leading space":
        return " " + draw(valid_names(max_size=127))
    if kind == "trailing space":
        return draw(valid_names(max_size=127)) + " "
    base = draw(valid_names(min_size=2, max_size=100))
    at = draw(st.integers(0, len(base)))
    bad: str = draw(FORBIDDEN_NAME_CHARACTERS)
    return base[:at] + bad + base[at:]


# --- description: 0-1024 characters, anything but CR, LF, < and > -------------------------------

DESCRIPTION_CHARACTERS = st.characters(codec="utf-8", exclude_characters="\r\n<>")


def descriptions(min_size: int = 0, max_size: int = 1024) -> st.SearchStrategy[str]:
    """Descriptions the charset allows, of every script and width, `min_size` to `max_size` long."""
    return st.one_of(
        st.text(DESCRIPTION_CHARACTERS, min_size=min_size, max_size=min(max_size, 64)),
        st.builds(
            lambda char, size: char * size,
            st.sampled_from([*SCRIPTS.values(), " ", "\t", "\u2028"]),
            st.integers(min_size, max_size),
        ),
    )


@st.composite
def forbidden_descriptions(draw: st.DrawFn) -> str:
    """A description of allowed length with CR, LF, < or > in it."""
    base = draw(st.text(DESCRIPTION_CHARACTERS, max_size=50))
    at = draw(st.integers(0, len(base)))
    return base[:at] + draw(st.sampled_from("\r\n<>")) + base[at:]


# --- image_url: bucket:object, split at the first colon ------------------------------------------


@st.composite
def buckets(draw: st.DrawFn, min_size: int = 3, max_size: int = 63) -> str:
    """OBS bucket names the contract allows: 3-63 of [a-z0-9.-], a letter or digit at both ends."""
    size = draw(st.integers(min_size, max_size))
    middle = draw(st.text(alphabet=BUCKET_INNER, min_size=size - 2, max_size=size - 2))
    return draw(st.sampled_from(BUCKET_EDGE)) + middle + draw(st.sampled_from(BUCKET_EDGE))


# Object keys the contract allows. A space in the key is left out: the error-code table has IMG.0175
# ("folder and file names cannot contain spaces"), so whether a key may hold one is open.
object_keys = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_characters=" "), min_size=1, max_size=64),
    st.builds(
        lambda char, size: char * size, st.sampled_from(["k", "/", ":", *SCRIPTS.values()]), st.integers(1, 1024)
    ),
)


@st.composite
def forbidden_image_urls(draw: st.DrawFn) -> str:
    """image_url values that break one part of the rule: the bucket's length, characters or ends, the key."""
    key = draw(object_keys)
    kind = draw(st.sampled_from(["short bucket", "long bucket", "bucket character", "bucket edge", "empty key"]))
    if kind == "short bucket":
        return draw(st.text(alphabet=BUCKET_EDGE, max_size=2)) + ":" + key
    if kind == "long bucket":
        return draw(buckets(min_size=64, max_size=80)) + ":" + key
    if kind == "bucket character":
        bucket = draw(buckets())
        at = draw(st.integers(0, len(bucket)))
        bad: str = draw(st.sampled_from([*string.ascii_uppercase, *"_ /@é数😀"]))
        return bucket[:at] + bad + bucket[at:] + ":" + key
    if kind == "bucket edge":
        bucket, edge = draw(buckets(max_size=62)), draw(st.sampled_from("-."))
        return (edge + bucket if draw(st.booleans()) else bucket + edge) + ":" + key
    return draw(buckets()) + ":"


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
BAD_TAG_CHARACTERS = st.sampled_from(" !@#$/:<>é中ж😀")


def _pick(draw: st.DrawFn, *options: dict[str, Any]) -> dict[str, Any]:
    """One of `options` (each a body's fields)."""
    choice: dict[str, Any] = draw(st.sampled_from(options))
    return choice


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
def invalid_tag_fields(draw: st.DrawFn) -> Refusal:
    """Tag fields every edition refuses, one broken rule each, with the code the contract pins.

    Past the larger limits of the Chinese edition (21 tags and more, keys over 128, values over
    255): the international edition's limits are a rule of their own (`create.tags.limits`).
    """
    kind = draw(
        st.sampled_from(
            [
                "too many tags",
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
        )
    )
    if kind == "too many tags":
        many = draw(_distinct_pairs(21, 25))
        fields = _pick(draw, {"tags": [f"{k}.{v}" for k, v in many]}, {"image_tags": [{"key": k} for k, _ in many]})
        return fields, "IMG.0116"
    if kind == "key far too long":
        key = draw(st.text(alphabet=TAG_KEY, min_size=129, max_size=160))
        return _pick(draw, {"tags": [f"{key}.v"]}, {"image_tags": [{"key": key}]}), "IMG.0115"
    if kind == "value far too long":
        value = draw(st.text(alphabet=TAG_VALUE, min_size=256, max_size=300))
        return _pick(draw, {"tags": [f"k.{value}"]}, {"image_tags": [{"key": "k", "value": value}]}), ("IMG.0115")
    if kind == "empty key":
        return _pick(draw, {"tags": [".v"]}, {"tags": [""]}, {"image_tags": [{"key": ""}]}), "IMG.0115"
    if kind == "bad key character":
        bad = draw(BAD_TAG_CHARACTERS)
        return _pick(draw, {"tags": [f"k{bad}.v"]}, {"image_tags": [{"key": f"k{bad}"}]}), "IMG.0115"
    if kind == "bad value character":
        bad = draw(BAD_TAG_CHARACTERS)
        fields = _pick(draw, {"tags": [f"k.v{bad}"]}, {"image_tags": [{"key": "k", "value": f"v{bad}"}]})
        return fields, "IMG.0115"
    if kind == "missing key":
        return {"image_tags": [{"value": "v"}]}, "IMG.0115"
    if kind == "extra property":
        return {"image_tags": [{"key": "k", "value": "v", "extra": "x"}]}, "IMG.0115"
    if kind == "not a string":
        return {"tags": [draw(st.sampled_from([1, {"key": "k"}, ["k"]]))]}, "IMG.0115"
    return _pick(draw, {"tags": "k.v"}, {"image_tags": {"key": "k"}}, {"tags": {}}), "IMG.0115"


@st.composite
def duplicate_tag_keys(draw: st.DrawFn) -> dict[str, Any]:
    """A tag list that names one key twice (`a` and `a.1` are the same key)."""
    pairs = draw(_distinct_pairs(min_size=1, max_size=9))
    key, other = pairs[0][0], draw(tag_values)
    strings = [f"{k}.{v}" for k, v in pairs]
    objects = [{"key": k, "value": v} for k, v in pairs]
    return _pick(
        draw, {"tags": [*strings, f"{key}.{other}" if other else key]}, {"image_tags": [*objects, {"key": key}]}
    )


@st.composite
def tags_past_the_international_limits(draw: st.DrawFn) -> Refusal:
    """What the contract decides and leaves open on live services: 11-20 tags, keys 37-128, values 44-255."""
    kind = draw(st.sampled_from(["11 tags", "key too long", "value too long"]))
    if kind == "11 tags":
        many = draw(_distinct_pairs(min_size=11, max_size=20))
        fields = _pick(draw, {"tags": [f"{k}.{v}" for k, v in many]}, {"image_tags": [{"key": k} for k, _ in many]})
        return fields, "IMG.0116"
    if kind == "key too long":
        key = draw(st.text(alphabet=TAG_KEY, min_size=37, max_size=128))
        return _pick(draw, {"tags": [f"{key}.v"]}, {"image_tags": [{"key": key}]}), "IMG.0115"
    value = draw(st.text(alphabet=TAG_VALUE, min_size=44, max_size=255))
    return _pick(draw, {"tags": [f"k.{value}"]}, {"image_tags": [{"key": "k", "value": value}]}), "IMG.0115"


@st.composite
def both_tag_fields(draw: st.DrawFn) -> dict[str, Any]:
    """`tags` and `image_tags` together, either or both possibly empty."""
    pairs = draw(_distinct_pairs(min_size=0, max_size=5))
    return {
        "tags": draw(st.sampled_from([[f"{k}.{v}" for k, v in pairs], []])),
        "image_tags": draw(st.sampled_from([[{"key": k, "value": v} for k, v in pairs], []])),
    }


# --- the rows ------------------------------------------------------------------------------------------


def _n(count: int, prefix: str = "k") -> list[str]:
    return [f"{prefix}{i}" for i in range(count)]


RULES: tuple[RuleRow, ...] = (
    RuleRow(
        "create.name.required",
        (no("absent", "IMG.0013", name=ABSENT),),
    ),
    RuleRow(
        "create.name.length",
        (
            ok("1 character", name="a"),
            ok("128 characters", name="n" * 128),
            ok("128 with inner spaces", name="n" + " " * 126 + "n"),
            no("129 characters", "IMG.0002", name="n" * 129),
            no("far too long", "IMG.0002", name="n" * 1000),
            no("empty", name=""),
        ),
        allowed=valid_names().map(lambda name: {"name": name}),
        refused=st.one_of(
            valid_names(min_size=129, max_size=300).map(lambda name: ({"name": name}, "IMG.0002")),
            st.just(({"name": ""}, None)),
        ),
    ),
    RuleRow(
        "create.name.charset",
        (
            ok("every allowed class", name="Az09-._ x"),
            ok("inner spaces", name="a  b"),
            ok("only punctuation allowed", name="-._"),
            no("leading space", "IMG.0003", name=" a"),
            no("trailing space", "IMG.0003", name="a "),
            no("only a space", "IMG.0003", name=" "),
            no("angle bracket", "IMG.0003", name="a<b"),
            no("Latin-1 letter", "IMG.0003", name="café"),
            no("Cyrillic", "IMG.0003", name="диск"),
            no_unless_open(
                "CJK (the Chinese edition's)",
                "the Chinese edition, the SDK and Terraform allow Chinese characters; the international page does not",
                "IMG.0003",
                name="数据盘",
            ),
            no("astral", "IMG.0003", name="disk😀"),
            no("full-width digit", "IMG.0003", name="disk\uff11"),
            no("Arabic-Indic digit", "IMG.0003", name="disk٣"),
            no("no-break space inside", "IMG.0003", name="a\u00a0b"),
            no("tab inside", "IMG.0003", name="a\tb"),
            no("line feed inside", "IMG.0003", name="a\nb"),
            no("NUL inside", "IMG.0003", name="a\x00b"),
            no("not a string", None, name=42),
        ),
        allowed=valid_names().map(lambda name: {"name": name}),
        refused=forbidden_name_characters().map(lambda name: ({"name": name}, "IMG.0003")),
        examples=25,
    ),
    RuleRow(
        "create.description.length",
        (
            ok("absent", description=ABSENT),
            ok("empty", description=""),
            ok("1024", description="d" * 1024),
            no("1025", "IMG.0004", description="d" * 1025),
        ),
        allowed=descriptions().map(lambda text: {"description": text}),
        refused=st.builds(
            lambda char, size: ({"description": char * size}, "IMG.0004"),
            st.sampled_from([*SCRIPTS.values(), " "]),
            st.integers(1025, 1100),
        ),
    ),
    RuleRow(
        "create.length.unit",
        (
            *(ok(f"description 1024 {script}", description=char * 1024) for script, char in SCRIPTS.items()),
            *(
                no(f"description 1025 {script}", "IMG.0004", description=char * 1025)
                for script, char in SCRIPTS.items()
                if script != "ASCII"
            ),
            ok("object key 1024 CJK", image_url="image-test:" + "数" * 1024),
            no("object key 1025 CJK", "IMG.0017", image_url="image-test:" + "数" * 1025),
            ok("object key 1024 astral", image_url="image-test:" + "😀" * 1024),
            ok_unless_missing("cmk_id 255 CJK", "KMS key", cmk_id="钥" * 255),
            no("cmk_id 256 CJK", None, cmk_id="钥" * 256),
        ),
    ),
    RuleRow(
        "create.description.charset",
        (
            ok("spaces and punctuation", description="Data disk 1 of Fedora: v2.0 (test) & more!"),
            ok("every script", description="Disque é, диск, 数据盘, قرص, 😀"),
            ok("tab", description="a\tb"),
            ok("line separator U+2028", description="a\u2028b"),
            ok("next line U+0085", description="a\u0085b"),
            ok("full-width angle brackets", description="\uff1cb\uff1e"),
            ok("quotes and backslash", description='say "hi" \\ bye'),
            no("<", "IMG.0054", description="<b"),
            no(">", "IMG.0054", description="b>"),
            no("line feed", "IMG.0054", description="a\nb"),
            no("carriage return", "IMG.0054", description="a\rb"),
            no("not a string", None, description=1),
        ),
        allowed=descriptions(max_size=200).map(lambda text: {"description": text}),
        refused=forbidden_descriptions().map(lambda text: ({"description": text}, "IMG.0054")),
        examples=15,
    ),
    RuleRow(
        "create.os_type",
        (
            ok_unless_open(
                "Windows",
                "current international pages say this API no longer makes Windows data images",
                os_type="Windows",
            ),
            ok("Linux", os_type="Linux"),
            ok("absent (Linux)", os_type=ABSENT),
            no("lowercase", OS_TYPE_CODES, os_type="linux"),
            no("uppercase", OS_TYPE_CODES, os_type="WINDOWS"),
            no("trailing space", OS_TYPE_CODES, os_type="Linux "),
            no("empty", OS_TYPE_CODES, os_type=""),
            no("another system", OS_TYPE_CODES, os_type="Other"),
        ),
    ),
    RuleRow(
        "create.image_url",
        (
            ok("bucket of 3", image_url="abc:disk.qcow2"),
            ok("bucket of 63", image_url="b" * 63 + ":disk.qcow2"),
            ok("bucket of digits, - and .", image_url="my-bucket.01:disk.qcow2"),
            ok("bucket all digits", image_url="123:disk.qcow2"),
            ok("object key of 1", image_url="image-test:d"),
            ok("object key of 1024", image_url="image-test:" + "k" * 1024),
            ok("object key with a colon (split at the first)", image_url="image-test:dir:disk.qcow2"),
            ok("object key with /", image_url="image-test:dir/sub-dir/disk.qcow2"),
            no_unless_open(
                "object key with a space",
                "the error-code table has IMG.0175 for spaces in folder and file names; the create page says nothing",
                "IMG.0175",
                image_url="image-test:dir/sub dir/disk.qcow2",
            ),
            no("bucket of 2", IMAGE_URL_CODES, image_url="ab:disk.qcow2"),
            no("bucket of 64", IMAGE_URL_CODES, image_url="b" * 64 + ":disk.qcow2"),
            no("bucket starting with -", IMAGE_URL_CODES, image_url="-bucket:disk.qcow2"),
            no("bucket ending with -", IMAGE_URL_CODES, image_url="bucket-:disk.qcow2"),
            no("bucket starting with .", IMAGE_URL_CODES, image_url=".bucket:disk.qcow2"),
            no("bucket ending with .", IMAGE_URL_CODES, image_url="bucket.:disk.qcow2"),
            no("uppercase bucket", IMAGE_URL_CODES, image_url="Bucket:disk.qcow2"),
            no("bucket with _", IMAGE_URL_CODES, image_url="my_bucket:disk.qcow2"),
            no("non-ASCII bucket", IMAGE_URL_CODES, image_url="bück:disk.qcow2"),
            no("no colon", "IMG.0017", image_url="bucket"),
            no("empty bucket", "IMG.0017", image_url=":disk.qcow2"),
            no("empty object key", "IMG.0017", image_url="bucket:"),
            no("object key of 1025", "IMG.0017", image_url="image-test:" + "k" * 1025),
            no("empty", "IMG.0017", image_url=""),
            no("not a string", "IMG.0017", image_url=42),
            no("absent", "IMG.0017", image_url=ABSENT),
        ),
        allowed=st.builds(lambda bucket, key: {"image_url": f"{bucket}:{key}"}, buckets(), object_keys),
        refused=forbidden_image_urls().map(lambda url: ({"image_url": url}, IMAGE_URL_CODES)),
        examples=20,
    ),
    RuleRow(
        "create.min_disk",
        (
            ok("lowest", min_disk=40),
            ok("above lowest", min_disk=41),
            ok("below highest", min_disk=2047),
            ok("highest", min_disk=2048),
            ok("integral float", min_disk=40.0),
            ok("integral float, highest", min_disk=2048.0),
            no("below lowest", "IMG.0055", min_disk=39),
            no("above highest", "IMG.0055", min_disk=2049),
            no("zero", "IMG.0055", min_disk=0),
            no("negative", "IMG.0055", min_disk=-40),
            no("huge", "IMG.0055", min_disk=10**30),
            no("fraction", "IMG.0055", min_disk=40.5),
            no("boolean", "IMG.0055", min_disk=True),
            no("string", "IMG.0055", min_disk="40"),
            no("absent", "IMG.0055", min_disk=ABSENT),
        ),
        allowed=valid_min_disks.map(lambda value: {"min_disk": value}),
        refused=invalid_min_disks.map(lambda value: ({"min_disk": value}, "IMG.0055")),
        examples=15,
    ),
    RuleRow(
        "create.cmk_id",
        (
            ok_unless_missing("1 character", "KMS key", cmk_id="k"),
            ok_unless_missing("255 characters", "KMS key", cmk_id="k" * 255),
            no("empty", None, cmk_id=""),
            no("256 characters", None, cmk_id="k" * 256),
            no("not a string", None, cmk_id=1),
        ),
    ),
    RuleRow(
        "create.enterprise_project_id",
        (
            ok('"0"', enterprise_project_id="0"),
            ok_unless_missing("a lowercase UUID", "enterprise project", enterprise_project_id=UUID),
            no("an uppercase UUID", None, enterprise_project_id=UUID.upper()),
            no("a UUID without hyphens", None, enterprise_project_id=UUID.replace("-", "")),
            no("a UUID in braces", None, enterprise_project_id="{" + UUID + "}"),
            no("a UUID and a line feed", None, enterprise_project_id=UUID + "\n"),
            no("a UUID and more", None, enterprise_project_id=UUID + "0"),
            no('"00"', None, enterprise_project_id="00"),
            no('" 0"', None, enterprise_project_id=" 0"),
            no("empty", None, enterprise_project_id=""),
            no("a word", None, enterprise_project_id="default"),
            no("the number 0", None, enterprise_project_id=0),
        ),
        refused=st.one_of(
            st.uuids().map(lambda u: str(u).upper()).filter(lambda s: s != s.lower()),
            st.uuids().map(lambda u: u.hex),
            st.text(max_size=40).filter(lambda s: s != "0" and not _is_uuid(s)),
        ).map(lambda eid: ({"enterprise_project_id": eid}, None)),
    ),
    RuleRow(
        "create.tags",
        (
            ok("empty", tags=[]),
            ok("10 tags", tags=[f"{k}.v" for k in _n(10)]),
            ok("longest key and value", tags=["k" * 36 + "." + "v" * 43]),
            ok("a key alone", tags=["solo"]),
            ok("a key and a dot", tags=["solo."]),
            ok("dots in a value", tags=["ver.1.2.3"]),
            ok("_ and - in a key", tags=["a_b-c.d"]),
            no("21 tags", "IMG.0116", tags=[f"{k}.v" for k in _n(21)]),
            no("key of 129", "IMG.0115", tags=["k" * 129]),
            no("value of 256", "IMG.0115", tags=["k." + "v" * 256]),
            no("empty key", "IMG.0115", tags=[".v"]),
            no("empty string", "IMG.0115", tags=[""]),
            no("a space in the key", "IMG.0115", tags=["a b.c"]),
            no("CJK key", "IMG.0115", tags=["键.v"]),
            no("Latin-1 value", "IMG.0115", tags=["k.é"]),
            no("not a string", "IMG.0115", tags=[1]),
            no("not a list", "IMG.0115", tags="k.v"),
        ),
        allowed=valid_tag_fields().filter(lambda fields: "tags" in fields),
        refused=invalid_tag_fields().filter(lambda refusal: "tags" in refusal[0]),
        examples=15,
    ),
    RuleRow(
        "create.image_tags",
        (
            ok("empty", image_tags=[]),
            ok("10 objects", image_tags=[{"key": k} for k in _n(10)]),
            ok("no value (empty)", image_tags=[{"key": "k"}]),
            ok("an empty value", image_tags=[{"key": "k", "value": ""}]),
            ok("longest key and value", image_tags=[{"key": "k" * 36, "value": "v" * 43}]),
            ok("dots in a value", image_tags=[{"key": "a", "value": "1.2"}]),
            no("21 objects", "IMG.0116", image_tags=[{"key": k} for k in _n(21)]),
            no("no key", "IMG.0115", image_tags=[{"value": "v"}]),
            no("another property", "IMG.0115", image_tags=[{"key": "k", "value": "v", "x": 1}]),
            no("a key that is not a string", "IMG.0115", image_tags=[{"key": 1}]),
            no("a value that is not a string", "IMG.0115", image_tags=[{"key": "k", "value": 1}]),
            no("a dot in the key", "IMG.0115", image_tags=[{"key": "a.b"}]),
            no("value of 256", "IMG.0115", image_tags=[{"key": "k", "value": "v" * 256}]),
            no("a string item", "IMG.0115", image_tags=["k.v"]),
            no("not a list", "IMG.0115", image_tags={"key": "k"}),
        ),
        allowed=valid_tag_fields().filter(lambda fields: "image_tags" in fields),
        refused=invalid_tag_fields().filter(lambda refusal: "image_tags" in refusal[0]),
        examples=15,
    ),
    RuleRow(
        "create.tags.keys",
        (
            ok("keys that differ in case", tags=["a", "A"]),
            ok("keys that differ in case (objects)", image_tags=[{"key": "a"}, {"key": "A"}]),
            no("a key twice", "IMG.0115", tags=["a.1", "a.2"]),
            no("a key alone and with a value", "IMG.0115", tags=["a", "a.1"]),
            no("a key twice (objects)", "IMG.0115", image_tags=[{"key": "a"}, {"key": "a", "value": "2"}]),
        ),
        refused=duplicate_tag_keys().map(lambda fields: (fields, "IMG.0115")),
    ),
    RuleRow(
        "create.tags.limits",
        (
            no("11 tags", "IMG.0116", tags=[f"{k}.v" for k in _n(11)]),
            no("11 objects", "IMG.0116", image_tags=[{"key": k} for k in _n(11)]),
            no("key of 37", "IMG.0115", tags=["k" * 37]),
            no("key of 37 (objects)", "IMG.0115", image_tags=[{"key": "k" * 37}]),
            no("value of 44", "IMG.0115", tags=["k." + "v" * 44]),
            no("value of 44 (objects)", "IMG.0115", image_tags=[{"key": "k", "value": "v" * 44}]),
        ),
        refused=tags_past_the_international_limits(),
    ),
    RuleRow(
        "create.tags.exclusive",
        (
            no("both, empty", None, tags=[], image_tags=[]),
            no("both, with tags", None, tags=["a.1"], image_tags=[{"key": "b"}]),
        ),
        refused=both_tag_fields().map(lambda fields: (fields, None)),
    ),
    RuleRow(
        "create.body.unknown",
        (
            no("an unknown property", None, image_type="DataImage"),
            no("a property of another API", None, data_images=[]),
            no("a known name in another case", None, Name="x"),
        ),
    ),
    RuleRow(
        "create.body.null",
        tuple(
            no(f"null {name}", None, **{name: None})
            for name in (
                "name",
                "description",
                "os_type",
                "image_url",
                "min_disk",
                "cmk_id",
                "enterprise_project_id",
                "tags",
                "image_tags",
            )
        ),
    ),
)


def _is_uuid(text: str) -> bool:
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def edges() -> list[tuple[str, Edge]]:
    """Every edge of every rule, with its rule id, in table order."""
    return [(row.rule, edge) for row in RULES for edge in row.edges]
