"""Secrets never leave the run: every text the suite prints or writes passes through here.

The token, the secret key, and any value of an `X-Auth-Token` or `Authorization` header (signatures
included) are replaced by `***`, wherever they appear: failure messages, the locals pytest prints,
captured output, junit.xml, the summary and replay commands.
"""

from __future__ import annotations

import re
import threading
from typing import Any, TextIO

MASK = "***"
# A header written as `Name: value`, `'Name': 'value'` (a dict's repr) or `Name=value`.
_HEADER_VALUE = re.compile(
    r"""(?ix)
    ( (?:x-auth-token|authorization) ["']? \s* [:=] \s* ["']? )
    (?! \s* \*\*\* )
    [^"'\r\n]+
    """
)
_SIGNATURE = re.compile(r"(?i)(Signature=)[0-9a-f]{8,}")


class Redactor:
    """Replaces known secrets and header values in text."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, *values: str | None) -> None:
        """Treat each value (four characters or more) as a secret from now on."""
        with self._lock:
            self._secrets.update(value for value in values if value and len(value) >= 4)

    def __call__(self, text: str) -> str:
        """`text` with every secret masked."""
        with self._lock:
            known = sorted(self._secrets, key=len, reverse=True)
        for secret in known:
            if secret in text:
                text = text.replace(secret, MASK)
        text = _SIGNATURE.sub(rf"\g<1>{MASK}", text)
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
