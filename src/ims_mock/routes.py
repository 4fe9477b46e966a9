"""The one table of the mock's API: each operation's method, path and handler.

The gateway matches method and path together: a path no route has, or a known path with another
method, is an unknown API (404 APIGW.0101). The operationIds are the spec's; a test holds this
table to the spec's paths (tests/test_mock_agrees_with_spec.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    """One operation: `path` has `{name}` segments for its parameters; `handler` names the app's method."""

    method: str
    path: str
    operation: str
    handler: str

    @functools.cached_property
    def template(self) -> tuple[str, ...]:
        """The path's segments, split once."""
        return tuple(self.path.split("/")[1:])

    def match(self, parts: list[str]) -> dict[str, str] | None:
        """The path parameters when `parts` (the path's segments) is this route's path; else None."""
        template = self.template
        if len(template) != len(parts):
            return None
        params: dict[str, str] = {}
        for expected, part in zip(template, parts, strict=True):
            if expected.startswith("{"):
                params[expected[1:-1]] = part
            elif expected != part:
                return None
        return params


ROUTES = (
    Route("POST", "/v1/cloudimages/dataimages/action", "createDataImage", "_create"),
    # The documented "(New)" v2.1 path: the same call.
    Route("POST", "/v2.1/cloudimages/dataimages/action", "createDataImageV2_1", "_create"),
    Route("GET", "/v1/cloudimages/job/{job_id}", "showJobProgress", "_show_job_progress"),
    Route("GET", "/v1/{project_id}/jobs/{job_id}", "showJob", "_show_job"),
    Route("GET", "/v2/cloudimages", "listImages", "_list_images"),
    Route("DELETE", "/v2/images/{image_id}", "deleteImage", "_delete_image"),
    Route("GET", "/v1/cloudimages/quota", "showImageQuota", "_show_quota"),
)
OPERATIONS = tuple(route.operation for route in ROUTES)
CREATES = ("createDataImage", "createDataImageV2_1")  # v1 and v2.1: one call, by either path


def route(method: str, path: str) -> tuple[str | None, dict[str, str]]:
    """The operationId a request is for and its path parameters; (None, {}) for no API."""
    parts = path.split("/")[1:]
    if any(not part for part in parts):
        return None, {}
    for candidate in ROUTES:
        params = candidate.match(parts)
        if params is not None:
            return (candidate.operation, params) if candidate.method == method else (None, {})
    return None, {}
