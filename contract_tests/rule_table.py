"""The create rules of docs/contract.md, one row each: the one table of their edges and strategies.

`RULES` holds one `RuleRow` per `create.*` rule: its explicit edges (each length and character
limit just inside and just outside, in characters of every width and script: ASCII, Latin-1,
Cyrillic, CJK, astral), and the strategies (`strategies.py`) that draw values on either side of it.
The contract suite sends them to the target (`test_properties.py`); the spec's tests
(tests/test_spec_rules.py) and the mock's (tests/test_mock_rules.py) judge the same edges.

The rows are written from the contract, not derived from the spec, so the suite also catches a
spec and a server that are wrong together.
"""

from __future__ import annotations

from hypothesis import strategies as st

from contract_tests.edges import (
    ABSENT,
    IMAGE_URL_CODES,
    OS_TYPE_CODES,
    SCRIPTS,
    UUID,
    Edge,
    RuleRow,
    no,
    no_unless_open,
    ok,
    ok_unless_missing,
    ok_unless_open,
)
from contract_tests.strategies import (
    both_tag_fields,
    buckets,
    descriptions,
    duplicate_tag_keys,
    forbidden_descriptions,
    forbidden_enterprise_project_ids,
    forbidden_image_urls,
    forbidden_name_characters,
    invalid_min_disks,
    invalid_tag_fields,
    object_keys,
    tags_past_the_international_limits,
    valid_min_disks,
    valid_names,
    valid_tag_fields,
)


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
            no("exclamation mark", "IMG.0003", name="a!b"),
            no("slash", "IMG.0003", name="a/b"),
            no("trailing line feed", "IMG.0003", name="a\n"),
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
            no("trailing line feed", "IMG.0054", description="ab\n"),
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
        refused=forbidden_enterprise_project_ids.map(lambda eid: ({"enterprise_project_id": eid}, None)),
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
            no("CJK key", "IMG.0115", tags=["键.v"]),
            no("a slash in the value", "IMG.0115", tags=["k.a/b"]),
            no("an equals sign in the key", "IMG.0115", tags=["a=b.c"]),
            no("not a string", "IMG.0115", tags=[1]),
            no("a null item", "IMG.0115", tags=[None]),
            no("not a list", "IMG.0115", tags="k.v"),
        ),
        allowed=valid_tag_fields("tags"),
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
            no("an empty key", "IMG.0115", image_tags=[{"key": ""}]),
            no("a null value", "IMG.0115", image_tags=[{"key": "k", "value": None}]),
            no("another property", "IMG.0115", image_tags=[{"key": "k", "value": "v", "x": 1}]),
            no("a key that is not a string", "IMG.0115", image_tags=[{"key": 1}]),
            no("a value that is not a string", "IMG.0115", image_tags=[{"key": "k", "value": 1}]),
            no("a comma in the key", "IMG.0115", image_tags=[{"key": "a,b"}]),
            no("value of 256", "IMG.0115", image_tags=[{"key": "k", "value": "v" * 256}]),
            no("a string item", "IMG.0115", image_tags=["k.v"]),
            no("not a list", "IMG.0115", image_tags={"key": "k"}),
        ),
        allowed=valid_tag_fields("image_tags"),
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
            no("the same item twice", "IMG.0115", tags=["k.v", "k.v"]),
            no("the same item twice (objects)", "IMG.0115", image_tags=[{"key": "k"}, {"key": "k"}]),
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
            # Past the international characters, allowed where a region allows all but =*<>\,|/ and CJK.
            no("a space in the key", "IMG.0115", tags=["a b.c"]),
            no("a colon in the value", "IMG.0115", tags=["k.a:b"]),
            no("Latin-1 value", "IMG.0115", tags=["k.é"]),
            no("a dot in the key (objects)", "IMG.0115", image_tags=[{"key": "a.b"}]),
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
            no("an unknown property that is null", None, foo=None),
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


def all_edges() -> list[tuple[str, Edge]]:
    """Every edge of every rule, with its rule id, in table order."""
    return [(row.rule, edge) for row in RULES for edge in row.edges]
