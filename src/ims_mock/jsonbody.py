"""Strict JSON parsing of request bodies: every way a body can be bad becomes an ImsError."""

from __future__ import annotations

import json
from typing import Any

from ims_mock import errors


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    # Python's json accepts NaN, Infinity and -Infinity, which are not JSON.
    raise ValueError(f"{name} is not JSON")


def parse(raw: bytes) -> Any:
    """Parse a request body as strict JSON (RFC 8259): UTF-8, no duplicate keys, no NaN.

    Raises `errors.ImsError` (400) for an empty body, invalid UTF-8, malformed or truncated JSON,
    duplicate keys, nesting too deep for the parser, and integers too long to convert.
    """
    if not raw.strip():
        raise errors.EMPTY_BODY
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise errors.MALFORMED from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except _DuplicateKeyError:
        raise errors.DUPLICATE_JSON_KEY from None
    except (ValueError, RecursionError):
        # ValueError covers JSONDecodeError and integers over sys.get_int_max_str_digits().
        raise errors.MALFORMED from None
