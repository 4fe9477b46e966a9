"""The fault layer: the one registry of deliberate contract violations the mock can be started with.

Each fault is one deviation from docs/contract.md, used to prove that the contract suite catches
it. The faithful core (`app`, `rules`, `store`, `auth`) knows no fault: it takes its limits and
policies as data (`MockConfig`) and exposes its operations as handlers. A fault is declared here,
once, as what it changes:

- `limit`, `policy`: a value of `MockConfig` (a bound, a pattern, a set of formats);
- `rule-off`, `rule-added`: a create rule switched off, or a rule beyond the contract added;
- `request`, `response`: a request or response rewritten, around one or more operations
  (`dispatch(call, call_next)`, the shape of Starlette's `BaseHTTPMiddleware`) or around the whole
  ASGI app (pure ASGI middleware, as Starlette's own middleware is written), for what happens
  before an operation runs (authentication, headers);
- `state`: a layer that keeps state of its own across requests.

Faults are off by default and are switched on only by `--fault NAME` or `IMS_MOCK_FAULTS` when the
server starts; no request can switch one on. `build_app(config, names)` is the app with them.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import math
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ims_mock import errors, jsonbody
from ims_mock.app import CREATES, OPERATIONS, Call, Handler, ImsMockApp, MockConfig, Receive, Response, Scope, Send
from ims_mock.images import ENUMS
from ims_mock.rules import ENTERPRISE_PROJECT_ID, NAME_WITH_CHINESE, RULES, AddedRule, CreatePolicy
from ims_mock.store import SUPPORTED_FORMATS

ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Dispatch = Callable[[Call, Handler], Awaitable[Response]]
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


class RequestHeaders:
    """Rewrites the request's headers before the app sees them."""

    def __init__(self, app: ASGIApp, rewrite: Callable[[Headers], Headers]) -> None:
        self.app = app
        self.rewrite = rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve `scope` with the rewritten headers."""
        if scope["type"] == "http":
            scope = {**scope, "headers": self.rewrite(list(scope["headers"]))}
        await self.app(scope, receive, send)


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


def _headers_without(name: bytes) -> Callable[[ASGIApp, MockConfig], ASGIApp]:
    def rewrite(_scope: Scope, status: int, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
        return status, [(k, v) for k, v in headers if k.lower() != name], body

    return lambda app, _config: ResponseRewrite(app, rewrite)


def _text_plain(app: ASGIApp, _config: MockConfig) -> ASGIApp:
    def rewrite(_scope: Scope, status: int, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
        return status, [(k, b"text/plain" if k.lower() == b"content-type" else v) for k, v in headers], body

    return ResponseRewrite(app, rewrite)


def _auth_error_ims_shape(app: ASGIApp, _config: MockConfig) -> ASGIApp:
    def rewrite(_scope: Scope, status: int, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
        if status != 401:
            return status, headers, body
        message = json.loads(body).get("error_msg", "")
        return status, headers, json.dumps({"error": {"code": "IMG.0401", "message": message}}).encode()

    return ResponseRewrite(app, rewrite)


def _token_for(
    config: MockConfig, when: Callable[[dict[bytes, bytes], MockConfig], bool]
) -> Callable[[Headers], Headers]:
    token = config.credentials.projects[0].token.encode()

    def rewrite(headers: Headers) -> Headers:
        named = {k.lower(): v for k, v in headers}
        if not when(named, config):
            return headers
        return [(k, v) for k, v in headers if k.lower() != b"x-auth-token"] + [(b"x-auth-token", token)]

    return rewrite


def _serve_without_credentials(app: ASGIApp, config: MockConfig) -> ASGIApp:
    def anonymous(headers: dict[bytes, bytes], _config: MockConfig) -> bool:
        return b"x-auth-token" not in headers and b"authorization" not in headers

    return RequestHeaders(app, _token_for(config, anonymous))


def _any_token(app: ASGIApp, config: MockConfig) -> ASGIApp:
    def unknown_token(headers: dict[bytes, bytes], config: MockConfig) -> bool:
        token = headers.get(b"x-auth-token", b"").decode("utf-8", "replace").strip()
        return bool(token) and config.credentials.by_token(token) is None

    return RequestHeaders(app, _token_for(config, unknown_token))


# Operation middleware -----------------------------------------------------------------------------

JOBS = ("showJob", "showJobProgress")
_DASHED = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _error(error: errors.ImsError) -> Response:
    return Response.of_json(error.status, error.body())


async def _flat_envelope(call: Call, call_next: Handler) -> Response:
    response = await call_next(call)
    if response.status != 400:
        return response
    error = response.json()["error"]
    return Response.of_json(400, {"error_code": error["code"], "error_msg": error["message"]}, response.headers)


async def _ims_codes(call: Call, call_next: Handler) -> Response:
    response = await call_next(call)
    if response.status != 400:
        return response
    payload = response.json()
    payload["error"]["code"] = payload["error"]["code"].replace("IMG.", "IMS.")
    return Response.of_json(400, payload, response.headers)


async def _created_201(call: Call, call_next: Handler) -> Response:
    response = await call_next(call)
    return dataclasses.replace(response, status=201) if response.status == 200 else response


async def _any_content_type(call: Call, call_next: Handler) -> Response:
    headers = {**call.headers, "content-type": "application/json"}
    return await call_next(dataclasses.replace(call, headers=headers))


async def _no_charset(call: Call, call_next: Handler) -> Response:
    if ";" in call.headers.get("content-type", ""):
        return _error(errors.WRONG_CONTENT_TYPE)
    return await call_next(call)


def _has_empty_tag_value(body: Any) -> bool:
    if not isinstance(body, dict):
        return False
    strings = _list(body, "tags")
    objects = _list(body, "image_tags")
    return any(isinstance(t, str) and not t.partition(".")[2] for t in strings) or any(
        isinstance(o, dict) and not o.get("value") for o in objects
    )


async def _server_error_on_empty_tag_value(call: Call, call_next: Handler) -> Response:
    response = await call_next(call)
    if response.status == 200 and _has_empty_tag_value(json.loads(call.body)):
        return _error(errors.INTERNAL)
    return response


async def _dashed_job_ids(call: Call, call_next: Handler) -> Response:
    job_id = call.params.get("job_id", "")
    if _DASHED.fullmatch(job_id):
        call = dataclasses.replace(call, params={**call.params, "job_id": job_id.replace("-", "")})
    response = await call_next(call)
    if response.status != 200:
        return response
    payload = response.json()
    payload["job_id"] = str(uuid.UUID(payload["job_id"]))
    return Response.of_json(200, payload, response.headers)


def _served_as_job_owner(core: ImsMockApp) -> Dispatch:
    async def dispatch(call: Call, call_next: Handler) -> Response:
        owner = core.store.job_owner(call.params["job_id"])
        project = next((p for p in core.config.credentials.projects if p.project_id == owner), None)
        if project is not None:
            params = {**call.params, "project_id": project.project_id} if "project_id" in call.params else call.params
            call = dataclasses.replace(call, project=project, params=params)
        return await call_next(call)

    return dispatch


def _ended_job(response: Response) -> dict[str, Any] | None:
    """The job a successful job query answered, if it has ended; else None."""
    if response.status != 200:
        return None
    job: dict[str, Any] = response.json()
    return job if _ended(job) else None


def _status_backwards(_core: ImsMockApp) -> Dispatch:
    ended_queries: dict[str, int] = {}

    async def dispatch(call: Call, call_next: Handler) -> Response:
        response = await call_next(call)
        payload = _ended_job(response)
        if payload is None:
            return response
        ended_queries[payload["job_id"]] = seen = ended_queries.get(payload["job_id"], 0) + 1
        if seen % 2 == 0:
            payload["status"] = "RUNNING"
        return Response.of_json(200, payload, response.headers)

    return dispatch


def _not_found_at_first(_core: ImsMockApp) -> Dispatch:
    queried: set[str] = set()

    async def dispatch(call: Call, call_next: Handler) -> Response:
        response = await call_next(call)
        if response.status == 200 and call.params["job_id"] not in queried:
            queried.add(call.params["job_id"])
            return _error(errors.JOB_NOT_FOUND)
        return response

    return dispatch


def _keeps_deleted_images(core: ImsMockApp) -> Dispatch:
    async def dispatch(call: Call, call_next: Handler) -> Response:
        wanted = call.params["image_id"].lower()
        if any(image.image_id == wanted for image in core.store.project_images(call.project.project_id, call.now)):
            return Response(204, None)
        return await call_next(call)

    return dispatch


def _recode(code: str, other: str) -> Dispatch:
    """A dispatch that answers `other` wherever the core answers `code`."""

    async def dispatch(call: Call, call_next: Handler) -> Response:
        response = await call_next(call)
        payload = response.json() if response.status == 400 else None
        if isinstance(payload, dict) and payload.get("error", {}).get("code") == code:
            payload["error"]["code"] = other
            return Response.of_json(response.status, payload, response.headers)
        return response

    return dispatch


def _quota_used_zero(payload: Any) -> None:
    for resource in payload["quotas"]["resources"]:
        resource["used"] = 0


async def _gone_is_204(call: Call, call_next: Handler) -> Response:
    response = await call_next(call)
    return Response(204, None) if response.status == 404 else response


def _without_query(*names: str) -> Callable[[Call], Call]:
    return lambda call: dataclasses.replace(call, query=tuple((k, v) for k, v in call.query if k not in names))


def _ignoring(*names: str) -> Dispatch:
    """A listImages that silently ignores the parameters `names` (as if they had not been sent)."""

    async def dispatch(call: Call, call_next: Handler) -> Response:
        return await call_next(_without_query(*names)(call))

    return dispatch


async def _ignores_limit(call: Call, call_next: Handler) -> Response:
    valid = all(v.isascii() and v.isdigit() and 1 <= int(v) <= 1000 for k, v in call.query if k == "limit")
    if not valid:
        return await call_next(call)
    return await call_next(dataclasses.replace(call, query=(*_without_query("limit")(call).query, ("limit", "1000"))))


async def _ignores_marker(call: Call, call_next: Handler) -> Response:
    checked = await call_next(call)  # the marker is still validated ...
    if checked.status != 200 or not any(k == "marker" for k, _ in call.query):
        return checked
    return await call_next(_without_query("marker")(call))  # ... then ignored


def _job_field(name: str, value: Any, when: Callable[[dict[str, Any]], bool]) -> Callable[[Any], None]:
    def change(job: dict[str, Any]) -> None:
        if when(job):
            job[name] = value

    return change


def _ended(job: dict[str, Any]) -> bool:
    return job["status"] in ("SUCCESS", "FAIL")


def _keeping_query(*names: str) -> Dispatch:
    """A listImages that reads only the parameters `names` and silently ignores every other one."""

    async def dispatch(call: Call, call_next: Handler) -> Response:
        return await call_next(dataclasses.replace(call, query=tuple((k, v) for k, v in call.query if k in names)))

    return dispatch


def _drop(*names: str) -> Callable[[dict[str, Any]], None]:
    def apply(item: dict[str, Any]) -> None:
        for name in names:
            item.pop(name, None)

    return apply


async def _v21_missing(call: Call, call_next: Handler) -> Response:
    return Response.of_json(404, errors.NO_SUCH_API.body(uuid.uuid4().hex))


async def _v21_clamps_min_disk(call: Call, call_next: Handler) -> Response:
    try:
        body = jsonbody.parse(call.body)
    except errors.ImsError:
        return await call_next(call)
    disk = body.get("min_disk") if isinstance(body, dict) else None
    if isinstance(disk, int) and not isinstance(disk, bool) and not 40 <= disk <= 2048:
        body["min_disk"] = min(max(disk, 40), 2048)
        return await call_next(dataclasses.replace(call, body=json.dumps(body).encode()))
    return await call_next(call)


def _each_image(change: Callable[[dict[str, Any]], None]) -> Callable[[Any], None]:
    def apply(listing: dict[str, Any]) -> None:
        for image in listing["images"]:
            change(image)

    return apply


def _set(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda item: item.__setitem__(name, value)


def _where_present(name: str, change: Callable[[Any], Any]) -> Callable[[dict[str, Any]], None]:
    """Change the field `name` of each item that has it (a public image has no `__description`)."""

    def apply(item: dict[str, Any]) -> None:
        if name in item:
            item[name] = change(item[name])

    return apply


def _cut(name: str, most: int) -> Callable[[dict[str, Any]], None]:
    return _where_present(name, lambda value: value[:most])


def _ascii_only(name: str) -> Callable[[dict[str, Any]], None]:
    return _where_present(name, lambda value: value.encode("ascii", "replace").decode())


def _cap(name: str, most: int) -> Callable[[dict[str, Any]], None]:
    return _where_present(name, lambda value: min(value, most))


def _without_image_id(job: dict[str, Any]) -> None:
    if job["status"] == "SUCCESS":
        job["entities"].pop("image_id", None)


def _percent_0_at_end(job: dict[str, Any]) -> None:
    if _ended(job):
        job["entities"]["process_percent"] = 0


def _no_failure_details(job: dict[str, Any]) -> None:
    if job["status"] == "FAIL":
        job["error_code"] = job["fail_reason"] = None


def _list(body: dict[str, Any], name: str) -> list[Any]:
    value = body.get(name)
    return value if isinstance(value, list) else []


def _tags(body: dict[str, Any]) -> list[Any]:
    return _list(body, "tags")


async def _name_prefix_matches(call: Call, call_next: Handler) -> Response:
    wanted = [value for key, value in call.query if key == "name"]
    if not wanted:
        return await call_next(call)
    response = await call_next(_without_query("name")(call))
    if response.status != 200:
        return response
    listing = response.json()
    listing["images"] = [image for image in listing["images"] if image["name"].startswith(wanted[0])]
    return Response.of_json(200, listing, response.headers)


def _outcome_forgotten_later(core: ImsMockApp) -> Dispatch:
    ended_at: dict[str, float] = {}

    async def dispatch(call: Call, call_next: Handler) -> Response:
        response = await call_next(call)
        job = _ended_job(response)
        if job is None:
            return response
        first = ended_at.setdefault(job["job_id"], core.clock())
        if core.clock() - first < 1.0:
            return response
        job["status"], job["end_time"] = "RUNNING", ""
        return Response.of_json(200, job, response.headers)

    return dispatch


def _loose_token(app: ASGIApp, config: MockConfig) -> ASGIApp:
    def near_miss(headers: dict[bytes, bytes], config: MockConfig) -> bool:
        sent = headers.get(b"x-auth-token", b"").decode("utf-8", "replace").strip()
        if not sent or config.credentials.by_token(sent) is not None:
            return False
        token = config.credentials.projects[0].token
        return sent.lower() == token.lower() or sent.startswith(token) or token.startswith(sent)

    return RequestHeaders(app, _token_for(config, near_miss))


def _depth(value: Any) -> int:
    depth, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        depth = max(depth, level)
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, level + 1) for child in children)
    return depth


SLOW_SECONDS = 6.0


async def _slow_on_deep_nesting(call: Call, call_next: Handler) -> Response:
    try:
        deep = _depth(json.loads(call.body)) > 100
    except (ValueError, RecursionError):
        deep = call.body.count(b"[") + call.body.count(b"{") > 100
    if deep:
        await asyncio.sleep(SLOW_SECONDS)
    return await call_next(call)


CREATE = CREATES  # a create-side fault breaks the call, by either of its paths

# The registry ------------------------------------------------------------------------------------

REGISTRY: dict[str, Fault] = {
    # Request rules wrongly accepted (`create.*`).
    "accept-min-disk-39": limit("min_disk lower bound off by one: 39 is accepted", min_disk=(39, 2048)),
    "accept-min-disk-2049": limit("min_disk upper bound off by one: 2049 is accepted", min_disk=(40, 2049)),
    "accept-fractional-min-disk": min_disk_forms("min_disk 40.5 is accepted (truncated to 40)", add="fraction"),
    "accept-string-min-disk": min_disk_forms('min_disk "40" (a string) is accepted', add="digit-string"),
    "accept-name-129": limit("name may have 129 characters", name_length=(1, 129)),
    "accept-name-edge-spaces": limit(
        "name may start or end with a space", name=re.compile(r"[A-Za-z0-9._ -]*[A-Za-z0-9._-][A-Za-z0-9._ -]*")
    ),
    "accept-unicode-name": limit(
        "name may contain non-ASCII letters",
        name=re.compile(r"(?:[^\W_]|[._-])(?:(?:[^\W_]|[._ -])*(?:[^\W_]|[._-]))?"),
    ),
    "accept-name-punctuation": limit(
        "name may contain punctuation such as ! and <", name=re.compile(r"[!-~](?:[ -~]*[!-~])?")
    ),
    "accept-description-1025": limit("description may have 1025 characters", description_length=1025),
    "accept-description-angle-brackets": limit(
        "description may contain < and >", description_forbidden=re.compile(r"[\r\n]")
    ),
    "accept-any-os-type": limit("os_type is not checked (e.g. 'linux' is accepted)", os_types=None),
    "accept-bad-image-url": limit("image_url is not checked beyond being a string", image_url=re.compile(r".*", re.S)),
    "accept-both-tag-fields": rule_off("tags and image_tags may be sent together", "tags.both"),
    "accept-11-tags": limit("11 tags are accepted", max_tags=11, max_image_tags=11),
    "accept-21-image-tags": limit(
        "the item count of image_tags is not checked (only that of tags is)", max_image_tags=1_000_000
    ),
    "accept-duplicate-tag-keys": rule_off("tag keys may repeat within a list", "tags.duplicate-key"),
    "accept-long-tag-key": limit("tag keys may have 37 or more characters", tag_key=re.compile(r"[A-Za-z0-9_-]+")),
    "accept-image-tag-extra-property": rule_off(
        "image_tags objects may carry unknown properties", "tags.object-property"
    ),
    "accept-unknown-property": rule_off(
        "unknown body properties are ignored instead of rejected", "body.unknown-property"
    ),
    "accept-null-field": rule_off("null for an optional field is treated as absent", "body.null"),
    "accept-uppercase-enterprise-project-id": limit(
        "enterprise_project_id UUIDs are matched in any case",
        enterprise_project_id=re.compile(ENTERPRISE_PROJECT_ID.pattern, re.IGNORECASE),
    ),
    "enterprise-project-id-prefix-match": limit(
        'enterprise_project_id is matched at its start only ("00", a UUID and more are accepted)',
        enterprise_project_id=re.compile(f"(?:{ENTERPRISE_PROJECT_ID.pattern}).*", re.DOTALL),
    ),
    "bucket-name-max-32": limit(
        "bucket names of more than 32 characters are refused",
        image_url=re.compile(r"[a-z0-9][a-z0-9.-]{1,30}[a-z0-9]:.{1,1024}", re.DOTALL),
    ),
    "accept-bucket-edge-punctuation": limit(
        "bucket names may start or end with - or .",
        image_url=re.compile(r"[a-z0-9.-]{3,63}:.{1,1024}", re.DOTALL),
    ),
    "accept-object-key-1025": limit(
        "object keys are not bounded to 1,024 characters",
        image_url=re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]:.+", re.DOTALL),
    ),
    "image-url-split-at-last-colon": rule_added(
        "image_url is split at its last colon, so an object key holding one is refused",
        "image_url.format",
        lambda b: ":" in b["image_url"].partition(":")[2],
    ),
    "object-key-length-in-bytes": rule_added(
        "object keys are bounded to 1,024 UTF-8 bytes, not characters",
        "image_url.format",
        lambda b: len(b["image_url"].partition(":")[2].encode()) > 1024,
    ),
    "description-length-in-bytes": rule_added(
        "descriptions are bounded to 1,024 UTF-8 bytes, not characters",
        "description.too-long",
        lambda b: len(b.get("description", "").encode()) > 1024,
    ),
    "description-unicode-line-breaks": limit(
        "descriptions may not hold any Unicode line break (U+2028, U+0085, ...), not only CR and LF",
        description_forbidden=re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029<>]"),
    ),
    "accept-bad-enterprise-project-id": limit(
        "enterprise_project_id is not checked", enterprise_project_id=re.compile(r".*", re.S)
    ),
    "accept-wrong-content-type": around(
        "a create body sent as text/plain is accepted", "request", CREATE, _any_content_type
    ),
    "reject-json-charset": around(
        "Content-Type application/json; charset=UTF-8 is rejected", "request", CREATE, _no_charset
    ),
    "accept-empty-cmk-id": limit('cmk_id "" is accepted', cmk_id_length=(0, 255)),
    "no-body-limit": config_value(
        "bodies over 12 MiB are read and judged instead of refused with 413", "limit", max_body_bytes=64 * 1024 * 1024
    ),
    # Request rules wrongly rejected.
    "reject-min-disk-2048": limit("min_disk upper bound off by one: 2048 is rejected", min_disk=(40, 2047)),
    "reject-integral-float-min-disk": min_disk_forms("min_disk 40.0 is rejected", remove="integral-float"),
    "reject-name-128": limit("name of 128 characters is rejected", name_length=(1, 127)),
    "reject-name-inner-space": rule_added(
        "names with inner spaces are rejected", "name.format", lambda b: " " in b["name"]
    ),
    "reject-unicode-description": rule_added(
        "descriptions with non-ASCII characters are rejected",
        "description.format",
        lambda b: not b.get("description", "").isascii(),
    ),
    "reject-tag-without-dot": rule_added(
        'a tag with no "." (a key with an empty value) is rejected',
        "tags.invalid",
        lambda b: any("." not in tag for tag in _tags(b)),
    ),
    "reject-tag-value-with-dots": limit(
        "tag values containing dots are rejected", tag_value=re.compile(r"[A-Za-z0-9_-]{0,43}")
    ),
    "reject-empty-tag-list": rule_added(
        "an empty tags list is rejected", "tags.invalid", lambda b: b.get("tags") == []
    ),
    "require-description": rule_added(
        "a body without description is rejected", "description.format", lambda b: "description" not in b
    ),
    "reject-object-key-with-slash": rule_added(
        "image_url object keys containing / are rejected",
        "image_url.format",
        lambda b: "/" in b["image_url"].partition(":")[2],
    ),
    "reject-cmk-id-255": limit("cmk_id of 255 characters is rejected", cmk_id_length=(1, 254)),
    "reject-enterprise-project-id-zero": rule_added(
        'enterprise_project_id "0" is rejected',
        "enterprise_project_id.invalid",
        lambda b: b.get("enterprise_project_id") == "0",
    ),
    "reject-image-tag-without-value": rule_added(
        "image_tags objects without a value are rejected",
        "tags.invalid",
        lambda b: any("value" not in tag for tag in _list(b, "image_tags")),
    ),
    # Response shapes and headers (`response.*`).
    "dashed-job-id": around(
        "job_id is a dashed UUID instead of 32 lowercase hex digits",
        "response",
        (*CREATE, *JOBS),
        _dashed_job_ids,
    ),
    "missing-request-id": Fault(
        "responses lack the X-Request-Id header", "response", asgi=_headers_without(b"x-request-id")
    ),
    "flat-error-envelope": around(
        "400 bodies use the gateway's flat shape instead of the IMS envelope",
        "response",
        OPERATIONS,
        _flat_envelope,
    ),
    "bad-error-code": around(
        "400 bodies carry codes like IMS.0003 instead of IMG.xxxx", "response", OPERATIONS, _ims_codes
    ),
    "create-returns-201": around("a successful create answers 201 instead of 200", "response", CREATE, _created_201),
    "text-plain-responses": Fault("JSON bodies are sent with Content-Type text/plain", "response", asgi=_text_plain),
    "server-error-on-empty-tag-value": around(
        "a tag with an empty value makes create answer 500", "response", CREATE, _server_error_on_empty_tag_value
    ),
    # Authentication (`auth.*`).
    "ignore-auth": Fault("requests without credentials are served", "request", asgi=_serve_without_credentials),
    "accept-any-token": Fault("any non-empty X-Auth-Token is accepted", "request", asgi=_any_token),
    "aksk-ignores-query": auth_policy(
        "AK/SK verification leaves the query string out of the canonical request",
        "policy",
        query_in_canonical_request=False,
    ),
    "accept-bad-signature": auth_policy("AK/SK signatures are not verified", "rule-off", verify_signature=False),
    "ignore-clock-skew": auth_policy(
        "an X-Sdk-Date hours away from the server's clock is accepted", "limit", max_clock_skew=math.inf
    ),
    "auth-error-ims-shape": Fault(
        "401 bodies use the IMS envelope instead of the gateway's", "response", asgi=_auth_error_ims_shape
    ),
    "cross-project-jobs": Fault(
        "jobs of other projects can be read", "request", layer=Layer(frozenset(JOBS), _served_as_job_owner)
    ),
    # The job lifecycle (`job.*`).
    "job-status-backwards": stateful(
        "a finished job reports RUNNING again on every second query", JOBS, _status_backwards
    ),
    "job-not-found-at-first": stateful("a new job is 404 on its first query", JOBS, _not_found_at_first),
    "job-never-ends": config_value("jobs never end (INIT forever)", "limit", job_seconds=math.inf),
    "success-without-image-id": rewrite_json("a SUCCESS job has no entities.image_id", JOBS, _without_image_id),
    "fail-without-error-code": rewrite_json(
        "a FAIL job has error_code and fail_reason null", JOBS, _no_failure_details
    ),
    "end-time-null-while-running": rewrite_json(
        "end_time is null instead of an empty string while the job runs",
        JOBS,
        _job_field("end_time", None, lambda job: not _ended(job)),
    ),
    "progress-goes-down": rewrite_json(
        "process_percent goes down once the job has ended (0 after 99)", ("showJobProgress",), _percent_0_at_end
    ),
    "formats-without-zvhd": config_value(
        "zvhd and zvhd2 image files fail (the formats only Huawei documents)",
        "policy",
        image_formats=SUPPORTED_FORMATS - {"zvhd", "zvhd2"},
    ),
    "unsupported-format-succeeds": config_value(
        "an image file with an unsupported extension still succeeds", "policy", image_formats=None
    ),
    "wrong-job-type": rewrite_json(
        "job_type is imsCreateImageJob instead of imsImportDataImageJob",
        JOBS,
        _job_field("job_type", "imsCreateImageJob", lambda _job: True),
    ),
    # listImages and deleteImage (`list.*`, `delete.*`).
    "image-not-listed": rewrite_json(
        "an image whose job succeeded is missing from listImages", ("listImages",), _set("images", [])
    ),
    "list-ignores-name": around("listImages ignores the name filter", "request", ("listImages",), _ignoring("name")),
    "image-wrong-min-disk": rewrite_json(
        "listImages shows min_disk 40 whatever was requested", ("listImages",), _each_image(_set("min_disk", 40))
    ),
    "image-tags-dropped": rewrite_json("listImages shows no tags", ("listImages",), _each_image(_set("tags", []))),
    "image-name-truncated": rewrite_json(
        "listImages shows names cut to 64 characters", ("listImages",), _each_image(_cut("name", 64))
    ),
    "image-description-ascii-only": rewrite_json(
        "listImages shows each non-ASCII character of a description as ?",
        ("listImages",),
        _each_image(_ascii_only("__description")),
    ),
    "image-min-disk-capped": rewrite_json(
        "listImages shows min_disk capped at 1024", ("listImages",), _each_image(_cap("min_disk", 1024))
    ),
    "image-not-active": rewrite_json(
        "listImages shows a created image as queued", ("listImages",), _each_image(_set("status", "queued"))
    ),
    "list-oldest-first": rewrite_json(
        "listImages lists the oldest image first", ("listImages",), lambda listing: listing["images"].reverse()
    ),
    "list-ignores-limit": around(
        "listImages returns every image whatever the limit", "request", ("listImages",), _ignores_limit
    ),
    "list-ignores-marker": around(
        "listImages starts every page at the newest image, ignoring marker", "request", ("listImages",), _ignores_marker
    ),
    "delete-keeps-image": stateful(
        "deleteImage answers 204 but the image stays listed", ("deleteImage",), _keeps_deleted_images
    ),
    "list-name-prefix": around(
        "listImages?name= matches every name that starts with it", "request", ("listImages",), _name_prefix_matches
    ),
    "default-os-type-windows": limit("an image created without os_type is Windows", default_os_type="Windows"),
    "format-case-sensitive": config_value(
        "image file extensions are compared case-sensitively (disk.QCOW2 fails)", "policy", image_formats_any_case=False
    ),
    "job-outcome-forgotten-later": stateful(
        "a job queried a second or more after it ended reports RUNNING again", JOBS, _outcome_forgotten_later
    ),
    "token-loosely-matched": Fault(
        "a token with a character more or less, or in another case, is accepted", "request", asgi=_loose_token
    ),
    "narrow-clock-window": auth_policy(
        "X-Sdk-Date must be within 60 s of the server's clock, not 15 minutes", "limit", max_clock_skew=60.0
    ),
    "slow-on-deep-nesting": around(
        f"a create body nested over 100 deep is answered only after {SLOW_SECONDS:g} s",
        "request",
        CREATE,
        _slow_on_deep_nesting,
    ),
    "os-type-code-of-another-meaning": around(
        "an invalid os_type answers IMG.0015 (Huawei's code for a full image quota), not IMG.0056",
        "response",
        CREATE,
        _recode("IMG.0056", "IMG.0015"),
    ),
    "host-need-not-be-signed": auth_policy(
        "a signature that does not sign Host is accepted", "policy", host_signed=False
    ),
    "temporary-key-without-token": auth_policy(
        "a temporary (STS) access key is accepted without its X-Security-Token", "policy", temporary_token=False
    ),
    "quota-used-frozen": rewrite_json(
        "showImageQuota always reports 0 images used", ("showImageQuota",), _quota_used_zero
    ),
    # The image and the list as Huawei serves them (`image.*`, `list.*`).
    "list-ignores-filters": around(
        "listImages honours only name, id, __imagetype, virtual_env_type, limit and marker, ignoring every other"
        " documented filter",
        "request",
        ("listImages",),
        _keeping_query("name", "id", "__imagetype", "virtual_env_type", "limit", "marker", "sort_key", "sort_dir"),
    ),
    "list-ignores-sort": around(
        "listImages ignores sort_key and sort_dir (always newest first)",
        "request",
        ("listImages",),
        _ignoring("sort_key", "sort_dir"),
    ),
    "list-ignores-time-filters": around(
        "listImages ignores created_at and updated_at",
        "request",
        ("listImages",),
        _ignoring("created_at", "updated_at"),
    ),
    "image-without-owner-and-links": rewrite_json(
        "listImages shows no owner, self or active_at (fields the SDK always sets)",
        ("listImages",),
        _each_image(_drop("owner", "self", "active_at")),
    ),
    "image-forgets-its-references": rewrite_json(
        "listImages shows no __system__cmkid and no enterprise_project_id: Terraform sees drift",
        ("listImages",),
        _each_image(_drop("__system__cmkid", "enterprise_project_id")),
    ),
    "v2-1-create-missing": around(
        "the documented v2.1 create path answers 404 APIGW.0101", "request", ("createDataImageV2_1",), _v21_missing
    ),
    "v2-1-clamps-min-disk": around(
        "the v2.1 create accepts any integer min_disk, clamped to 40..2048",
        "request",
        ("createDataImageV2_1",),
        _v21_clamps_min_disk,
    ),
}

FAULTS: dict[str, str] = {name: fault.description for name, fault in REGISTRY.items()}


# Variants: choices the contract leaves open, made differently. Not faults: a server with them
# conforms, and the contract suite must pass against it (tests/test_contract_suite.py).

# The rules whose code is open ("any IMG" in docs/contract.md), by the mock's message.
_ANY_CODE_MESSAGES = {
    RULES[rule_id].message
    for rule_id in (
        "body.unknown-property",
        "body.null",
        "cmk_id.invalid",
        "enterprise_project_id.invalid",
        "tags.both",
    )
} | {errors.BAD_MARKER.message}
_BAD_QUERY_PREFIX = errors.BAD_QUERY.message[:-1]  # errors.bad_query: the same words, then the detail


async def _other_codes(call: Call, call_next: Handler) -> Response:
    response = await call_next(call)
    if response.status != 400:
        return response
    payload = response.json()
    message = str(payload.get("error", {}).get("message", ""))
    if message in _ANY_CODE_MESSAGES or message.startswith(_BAD_QUERY_PREFIX):
        payload["error"]["code"] = "IMG.0999"
        return Response.of_json(400, payload, response.headers)
    return response


# The values a filter takes (not the sort ones: an unknown sort key cannot match nothing).
_FILTER_ENUMS = {key: values for key, values in ENUMS.items() if not key.startswith("sort_")}


async def _unknown_enum_matches_nothing(call: Call, call_next: Handler) -> Response:
    if any(key in _FILTER_ENUMS and value not in _FILTER_ENUMS[key] for key, value in call.query):
        return Response.of_json(200, {"images": []})
    return await call_next(call)


async def _references_must_exist(call: Call, call_next: Handler) -> Response:
    # A live account has no such KMS key or enterprise project: the form is right, the resource is not there.
    try:
        body = jsonbody.parse(call.body)
    except errors.ImsError:
        return await call_next(call)  # the core answers a body it cannot read
    if isinstance(body, dict) and (
        isinstance(body.get("cmk_id"), str) or body.get("enterprise_project_id") not in (None, "0")
    ):
        return Response.of_json(
            400, {"error": {"code": "IMG.0998", "message": "The referenced resource does not exist."}}
        )
    return await call_next(call)


def _other_failure_code(job: dict[str, Any]) -> None:
    if job["status"] == "FAIL":
        job["error_code"] = "IMG.0998"


def _apig_prefix(app: ASGIApp, _config: MockConfig) -> ASGIApp:
    def rewrite(_scope: Scope, status: int, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
        if b'"error_code":"APIGW.' not in body:
            return status, headers, body
        return status, headers, body.replace(b'"error_code":"APIGW.', b'"error_code":"APIG.', 1)

    return ResponseRewrite(app, rewrite)


def _percent_as_fraction(job: dict[str, Any]) -> None:
    entities = job.get("entities")
    if isinstance(entities, dict) and isinstance(entities.get("process_percent"), int | float):
        entities["process_percent"] = round(entities["process_percent"] / 100, 4)


async def _unknown_job_400(call: Call, call_next: Handler) -> Response:
    response = await call_next(call)
    return dataclasses.replace(response, status=400) if response.status == 404 else response


def _lagging_delete(seconds: float) -> Callable[[ImsMockApp], Dispatch]:
    """Deletes answer 204 at once and take effect `seconds` later, as Terraform's provider allows."""

    def make(core: ImsMockApp) -> Dispatch:
        due: dict[tuple[str, str], float] = {}  # (project, image) -> when the delete takes effect

        async def dispatch(call: Call, call_next: Handler) -> Response:
            for (project_id, image_id), when in list(due.items()):
                if when <= call.now:
                    del due[(project_id, image_id)]
                    with contextlib.suppress(errors.ImsError):
                        core.store.delete_image(project_id, image_id, call.now)
            if call.operation != "deleteImage":
                return await call_next(call)
            key = (call.project.project_id, call.params["image_id"].lower())
            if key in due:
                return Response(204, None)
            owned = {image.image_id for image in core.store.project_images(key[0], call.now)}
            if key[1] not in owned:
                return await call_next(call)
            due[key] = call.now + seconds
            return Response(204, None)

        return dispatch

    return make


VARIANTS: dict[str, Fault] = {
    "os-type-code-0122": around(
        "an invalid os_type answers IMG.0122 (the table's other code for an invalid OS type)",
        "variant",
        CREATE,
        _recode("IMG.0056", "IMG.0122"),
    ),
    "gateway-prefix-apig": Fault(
        "the gateway's codes read APIG.dddd, as Huawei's API Gateway guide shows them", "variant", asgi=_apig_prefix
    ),
    "second-delete-204": around(
        "deleting an image that is not there answers 204, as Terraform's provider expects",
        "variant",
        ("deleteImage",),
        _gone_is_204,
    ),
    "delete-lags": Fault(
        "a deleted image stays listed for 2 s after its 204",
        "variant",
        layer=Layer(frozenset(OPERATIONS), _lagging_delete(2.0)),
    ),
    "process-percent-fraction": Fault(
        "process_percent is a fraction from 0 to 1, as every documented example is",
        "variant",
        layer=rewrite_json("", JOBS, _percent_as_fraction).layer,
    ),
    "unknown-job-400": around(
        "an unknown job answers 400, not 404 (the job pages document no 404)", "variant", JOBS, _unknown_job_400
    ),
    "chinese-names": Fault(
        "names may contain Chinese characters (the Chinese edition's rule)",
        "variant",
        _create_rules(lambda policy: dataclasses.replace(policy, name=NAME_WITH_CHINESE)),
    ),
    "windows-refused": Fault(
        'os_type "Windows" is refused with IMG.0056 (current pages: no Windows data images here)',
        "variant",
        _create_rules(lambda policy: dataclasses.replace(policy, os_types=frozenset({"Linux"}))),
    ),
    "object-key-spaces": Fault(
        "object keys may contain spaces (not refused with IMG.0175)",
        "variant",
        _create_rules(lambda p: dataclasses.replace(p, off=p.off | {"image_url.spaces"})),
    ),
    "project-id-required": Fault(
        "a signature without X-Project-Id is refused (401)",
        "variant",
        lambda c: dataclasses.replace(c, auth=dataclasses.replace(c.auth, project_id_required=True)),
    ),
    "references-must-exist": around(
        "a create naming any KMS key (cmk_id) or enterprise project but 0 is refused: none exists here",
        "variant",
        CREATE,
        _references_must_exist,
    ),
    "other-failure-code": Fault(
        "a failed job carries IMG.0998, not IMG.0057 (the live code is open)",
        "variant",
        layer=rewrite_json("", JOBS, _other_failure_code).layer,
    ),
    "other-img-codes": around(
        "rules with no documented code answer IMG.0999 (any IMG code conforms)",
        "variant",
        (*CREATE, "listImages"),
        _other_codes,
    ),
    "unknown-list-enum-empty": around(
        "listImages answers a filter value outside its documented set with an empty list, not 400",
        "variant",
        ("listImages",),
        _unknown_enum_matches_nothing,
    ),
}


def parse_faults(names: Iterable[str]) -> frozenset[str]:
    """Validate fault (or variant) names (whitespace and empty entries ignored); ValueError for unknown ones."""
    chosen = frozenset(name.strip() for name in names if name.strip())
    unknown = sorted(chosen - REGISTRY.keys() - VARIANTS.keys())
    if unknown:
        raise ValueError(f"unknown fault(s): {', '.join(unknown)}; see `ims-mock --list-faults`")
    return chosen


def describe() -> str:
    """Every fault with its kind and description, one per line, for `ims-mock --list-faults`."""
    width = max(map(len, REGISTRY))
    return "\n".join(f"{name:<{width}}  {fault.kind:<10}  {fault.description}" for name, fault in REGISTRY.items())


@dataclass
class _Health:
    """Adds the planted faults to /health, so a test (or a person) can see what a server runs with."""

    names: list[str] = field(default_factory=list)

    def __call__(self, scope: Scope, status: int, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
        if scope.get("path") != "/health" or status != 200:
            return status, headers, body
        return status, headers, json.dumps({**json.loads(body), "faults": self.names}, separators=(",", ":")).encode()


def build_app(
    config: MockConfig, names: Iterable[str] = (), clock: Callable[[], float] = time.time
) -> tuple[ASGIApp, ImsMockApp]:
    """The ASGI app with faults `names` planted, and the faithful core inside it.

    Order: configuration changes first (in registry order), then the core, then operation layers
    and ASGI layers, each wrapping what came before (registry order, so the result is the same
    whatever order the names were given in).
    """
    wanted = parse_faults(names)
    everything = {**REGISTRY, **VARIANTS}
    chosen = [(name, everything[name]) for name in everything if name in wanted]
    for _name, fault in chosen:
        if fault.configure is not None:
            config = fault.configure(config)
    core = ImsMockApp(config, clock)
    for _name, fault in chosen:
        if fault.layer is not None:
            dispatch = fault.layer.make(core)
            for operation in fault.layer.operations:
                core.operations[operation] = _wrapped(dispatch, core.operations[operation])
    app: ASGIApp = core
    for _name, fault in chosen:
        if fault.asgi is not None:
            app = fault.asgi(app, config)
    return ResponseRewrite(app, _Health(sorted(name for name, _ in chosen))), core


def _wrapped(dispatch: Dispatch, call_next: Handler) -> Handler:
    async def handler(call: Call) -> Response:
        return await dispatch(call, call_next)

    return handler
