"""How a fault is declared: as a value of the configuration, or as middleware around the core.

Operation middleware (`dispatch(call, call_next)`, the shape of Starlette's `BaseHTTPMiddleware`)
or pure ASGI middleware (`ResponseRewrite`), as Starlette writes its own. Authentication faults
are neither: they set fields of the auth policy (`auth_policy`), which the core's `authenticate` reads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any, Literal

from ims_mock.app import Call, Dispatch, Handler, ImsMockApp, Receive, Response, Scope, Send
from ims_mock.config import MockConfig
from ims_mock.rules import AddedRule, CreatePolicy

ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

Kind = Literal["limit", "policy", "rule-off", "rule-added", "request", "response", "state", "variant"]
Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class Layer:
    """Middleware around the handlers of `operations`: `make(core)` returns the dispatch function.

    `make` is called once per app, so a layer that keeps state keeps it per server.
    """

    operations: frozenset[str]
    make: Callable[[ImsMockApp], Dispatch]


@dataclass(frozen=True)
class Fault:
    """One registered fault: what it changes, as data (`configure`) and/or as middleware."""

    description: str
    kind: Kind
    configure: Callable[[MockConfig], MockConfig] | None = None
    layer: Layer | None = None
    asgi: Callable[[ASGIApp, MockConfig], ASGIApp] | None = None
    # The rules of docs/contract.md it breaks (any of which is right to blame): a run that catches
    # it must contradict one of them, and the kill matrix holds every run to that.
    breaks: tuple[str, ...] = ()

    def breaking(self, *rules: str) -> Fault:
        """The same fault, naming the rules it breaks."""
        return dataclasses.replace(self, breaks=rules)


# Declaring faults ---------------------------------------------------------------------------------


def _create_rules(change: Callable[[CreatePolicy], CreatePolicy]) -> Callable[[MockConfig], MockConfig]:
    return lambda config: dataclasses.replace(config, create_rules=change(config.create_rules))


def limit(description: str, **values: Any) -> Fault:
    """A fault that sets create-rule limits or patterns (`CreatePolicy` fields)."""
    return Fault(description, "limit", _create_rules(lambda policy: dataclasses.replace(policy, **values)))


def config_value(description: str, kind: Kind, **values: Any) -> Fault:
    """A fault that sets `MockConfig` fields (job timing, formats, body limit, auth policy)."""
    return Fault(description, kind, lambda config: dataclasses.replace(config, **values))


def auth_policy(description: str, kind: Kind, **values: Any) -> Fault:
    """A fault that sets fields of the AK/SK verification policy."""
    return Fault(description, kind, lambda c: dataclasses.replace(c, auth=dataclasses.replace(c.auth, **values)))


def rule_off(description: str, rule_id: str) -> Fault:
    """A fault that stops enforcing one create rule."""
    return Fault(description, "rule-off", _create_rules(lambda p: dataclasses.replace(p, off=p.off | {rule_id})))


def rule_added(description: str, rule_id: str, breaks: Callable[[dict[str, Any]], bool]) -> Fault:
    """A fault that rejects valid bodies for which `breaks(body)` holds, with `rule_id`'s code."""
    added = AddedRule(rule_id, breaks)
    return Fault(description, "rule-added", _create_rules(lambda p: dataclasses.replace(p, added=(*p.added, added))))


def min_disk_forms(description: str, *, add: str = "", remove: str = "") -> Fault:
    """A fault that changes which JSON forms of min_disk count as an integer."""

    def change(policy: CreatePolicy) -> CreatePolicy:
        return dataclasses.replace(policy, min_disk_forms=(policy.min_disk_forms | {add} - {""}) - {remove})

    return Fault(description, "limit", _create_rules(change))


def around(description: str, kind: Kind, operations: Iterable[str], dispatch: Dispatch) -> Fault:
    """A fault that wraps the handlers of `operations` with a stateless `dispatch(call, call_next)`."""
    return Fault(description, kind, layer=Layer(frozenset(operations), lambda _core: dispatch))


def rewrite_json(description: str, operations: Iterable[str], change: Callable[[Any], None]) -> Fault:
    """A fault that edits, in place, the JSON body of successful (2xx) answers of `operations`."""

    async def dispatch(call: Call, call_next: Handler) -> Response:
        response = await call_next(call)
        if not 200 <= response.status < 300 or response.body is None:
            return response
        payload = response.json()
        change(payload)
        return Response.of_json(response.status, payload, response.headers)

    return around(description, "response", operations, dispatch)


def stateful(description: str, operations: Iterable[str], make: Callable[[ImsMockApp], Dispatch]) -> Fault:
    """A fault whose layer keeps state across requests (made once per app)."""
    return Fault(description, "state", layer=Layer(frozenset(operations), make))


# ASGI middleware (pure ASGI, as Starlette writes its own) -----------------------------------------------


class ResponseRewrite:
    """Rewrites the status, headers and body of every response; Content-Length follows the body."""

    def __init__(self, app: ASGIApp, rewrite: Callable[[Scope, int, Headers, bytes], tuple[int, Headers, bytes]]):
        self.app = app
        self.rewrite = rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve `scope`, holding the response back until its body is complete, then rewriting it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def buffer(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            status, headers, body = self.rewrite(scope, start["status"], headers, b"".join(chunks))
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffer)
