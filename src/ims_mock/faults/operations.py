"""The faults' changes around operations: requests and answers rewritten, and the layers that keep state."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from ims_mock import errors, jsonbody
from ims_mock.app import Call, Dispatch, Handler, ImsMockApp, Response
from ims_mock.routes import CREATES

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
