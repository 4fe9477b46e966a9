"""One request the run sent, as the run shows it (secrets masked) and as a replay a user can run."""

from __future__ import annotations

import hashlib
import json
import shlex
from dataclasses import dataclass
from pathlib import Path

from contract_tests.target import MASK, SECRET_HEADERS

# Not kept in a replay case: secrets, and what the transport or the signer sets afresh.
UNREPLAYED_HEADERS = frozenset(
    {*SECRET_HEADERS, "x-sdk-date", "host", "content-length", "connection", "accept-encoding", "user-agent"}
)
INLINE_BODY = 4096  # bytes of a body written into a curl command; longer ones go to a file
REPLAY_COMMAND = ("python", "-m", "contract_tests.replay")
_NOT_IN_CURL = frozenset({"content-length", "connection", "accept-encoding", "accept", "user-agent"})


@dataclass(frozen=True)
class Exchange:
    """One request the run sent (secrets masked when shown), and the status it got."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    status: int
    cases: Path | None = None  # where replay cases are written (reports/replays), when the run keeps them
    seconds: float = 0.0  # how long the answer took to arrive whole (what IMS_MAX_RESPONSE_SECONDS judges)

    @property
    def signed(self) -> bool:
        """Whether the request was signed with AK/SK (a curl cannot sign it again)."""
        return any(name.lower() == "authorization" for name in self.headers)

    def as_curl(self) -> str:
        """A command that sends this request again with the current credentials, never showing a secret.

        A token request is a curl that reads the token from `$IMS_AUTH_TOKEN`; a body over
        INLINE_BODY bytes is read from a file beside the case. A signed request cannot be re-sent by
        curl (the signature covers the time): it is `python -m contract_tests.replay CASE`, which
        signs it afresh.
        """
        # A case file only where the command reads one: a signed request, or a body too long to inline.
        case = self.save() if self.signed or len(self.body) > INLINE_BODY else None
        if self.signed and case is not None:
            return shlex.join([*REPLAY_COMMAND, str(case)])
        parts = [shlex.join(["curl", "-X", self.method, self.url])]
        for name, value in self.headers.items():
            lowered = name.lower()
            if lowered in _NOT_IN_CURL:
                continue
            if lowered == "x-auth-token":
                parts.append('-H "X-Auth-Token: $IMS_AUTH_TOKEN"')
            else:
                parts.append(shlex.join(["-H", f"{name}: {MASK if lowered in SECRET_HEADERS else value}"]))
        if self.body and len(self.body) > INLINE_BODY and case is not None:
            parts.append(shlex.join(["--data-binary", f"@{case.with_suffix('.body')}"]))
        elif self.body:
            parts.append(shlex.join(["--data-binary", self.body.decode("utf-8", errors="backslashreplace")]))
        return " ".join(parts)

    def save(self) -> Path | None:
        """Write this request as a replay case (no secret in it) and its body; the case's path."""
        if self.cases is None:
            return None
        key = hashlib.sha256(
            b"\0".join([self.method.encode(), self.url.encode(), self.body, str(sorted(self.headers.items())).encode()])
        ).hexdigest()[:16]
        case = self.cases / f"{key}.json"
        if not case.exists():
            self.cases.mkdir(parents=True, exist_ok=True)
            kept = {name: value for name, value in self.headers.items() if name.lower() not in UNREPLAYED_HEADERS}
            case.with_suffix(".body").write_bytes(self.body)
            record = {"method": self.method, "url": self.url, "headers": kept, "status": self.status}
            case.write_text(json.dumps({**record, "signed": self.signed}, indent=1), encoding="utf-8")
        return case
