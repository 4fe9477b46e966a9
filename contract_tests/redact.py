"""Secrets never leave the run: every text the suite prints or writes passes through here.

The token, the secret key, a password in a URL, and any value of an `X-Auth-Token` or
`Authorization` header (signatures included) are replaced by `***`, wherever they appear: failure
messages, the locals pytest prints, captured output, junit.xml, the summary and replay commands.
Each secret is looked for in every form a text may hold it in: as it is, without its surrounding
whitespace, as Python's repr and JSON escape it, URL-encoded, and HTML/XML-escaped. The user info of
any URL (`scheme://user:password@host`) is masked too, whoever's URL it is.
"""

from __future__ import annotations

import html
import json
import re
import threading
from typing import Any, TextIO
from urllib.parse import quote, quote_plus

MASK = "***"
# A header written as `Name: value`, `'Name': 'value'` (a dict's repr) or `Name=value`.
_HEADER_VALUE = re.compile(
    r"""(?ix)
    ( (?:x-auth-token|x-security-token|authorization) ["']? \s* [:=] \s* ["']? )
    (?! \s* \*\*\* )
    [^"'\r\n]+
    """
)
_SIGNATURE = re.compile(r"(?i)(Signature=)[0-9a-f]{8,}")
# The user info of a URL: `scheme://user:password@`, `scheme://user@`.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s\"'<>]+@")


def forms(secret: str) -> set[str]:
    """`secret` as a text may hold it: raw, stripped, repr- and JSON-escaped, URL-encoded, HTML-escaped."""
    values = {secret, secret.strip()}
    for value in list(values):
        values |= {
            repr(value)[1:-1],
            json.dumps(value)[1:-1],
            json.dumps(value, ensure_ascii=False)[1:-1],
            quote(value, safe=""),
            quote_plus(value, safe=""),
            html.escape(value),
            html.escape(value, quote=False),
        }
    return values


class Redactor:
    """Replaces known secrets and header values in text."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, *values: str | None) -> None:
        """Treat each value (four characters or more), in each of its forms, as a secret from now on."""
        found = {form for value in values if value for form in forms(value) if len(form) >= 4}
        with self._lock:
            self._secrets.update(found)

    def __call__(self, text: str) -> str:
        """`text` with every secret masked."""
        with self._lock:
            known = sorted(self._secrets, key=len, reverse=True)
        for secret in known:
            if secret in text:
                text = text.replace(secret, MASK)
        text = _SIGNATURE.sub(rf"\g<1>{MASK}", text)
        text = _USERINFO.sub(rf"\g<1>{MASK}@", text)
        return _HEADER_VALUE.sub(rf"\g<1>{MASK}", text)


class RedactingFile:
    """A text stream that masks secrets in everything written to it."""

    def __init__(self, stream: TextIO, redact: Redactor) -> None:
        self._stream = stream
        self._redact = redact

    def write(self, text: str) -> int:
        """Write `text` with its secrets masked."""
        self._stream.write(self._redact(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
