"""Anything a target sends is data: these helpers keep it from acting on whatever shows it.

A target under test chooses its error messages, headers and bodies, and the suite repeats them in
the terminal, JUnit, the report card (JSON, Markdown, HTML) and the CI step summary. Each format
has its own escaping (HTML's entities, a Markdown table cell's `|`, a code fence longer than any
run of backticks inside it), and under all of them the same two rules:

* `inert`: no control character survives as itself. ESC (terminal colours, OSC window titles,
  clear-screen), NUL (invalid XML), carriage return (a line rewritten in place) and the C1 range
  are written as visible escapes (backslash, x, 1b); line feeds and tabs stay.
* `capped`: no piece of evidence is longer than its cap; what was cut is said, with the full
  length and a digest, so one 12 MiB answer cannot make a 25 MB report.
"""

from __future__ import annotations

import hashlib
import html
import re

# C0 controls but tab and line feed, DEL, C1 controls, and lone surrogates (not encodable as UTF-8).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def inert(text: str) -> str:
    """`text` with every control character shown as an escape, so that no reader acts on it."""
    return _CONTROL.sub(lambda found: _escape(found.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def capped(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with a note of its length and SHA-256 when longer."""
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{text[:limit]}... [cut: {len(text):,} characters in all, sha256 {digest}...]"


def evidence(text: str, limit: int) -> str:
    """Target-derived text as a report keeps it: capped, then inert."""
    return inert(capped(text, limit))


def md_cell(text: str) -> str:
    """Text for one Markdown table cell: HTML escaped (GitHub renders inline HTML), one line, no pipe."""
    escaped = html.escape(inert(text), quote=False)
    return escaped.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("`", "'")


def md_fence(text: str) -> str:
    """`text` in a Markdown code block that nothing inside it can close (a fence longer than any run of backticks)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{inert(text)}\n{fence}"
