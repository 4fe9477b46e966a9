"""The faults' changes on the wire, around the whole ASGI app: response headers, content types, tokens."""

from __future__ import annotations

import json
from collections.abc import Callable

from ims_mock.app import Scope
from ims_mock.config import MockConfig
from ims_mock.faults.layers import ASGIApp, Headers, RequestHeaders, ResponseRewrite


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
