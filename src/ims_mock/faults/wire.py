"""The faults' changes on the wire, around the whole ASGI app: response headers and content types."""

from __future__ import annotations

import json
from collections.abc import Callable

from ims_mock.app import Scope
from ims_mock.config import MockConfig
from ims_mock.faults.layers import ASGIApp, Headers, ResponseRewrite


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
