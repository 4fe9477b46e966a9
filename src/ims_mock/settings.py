"""Credentials and options from flags and the environment, with documented defaults.

| variable | default | meaning |
|---|---|---|
| IMS_MOCK_PROJECT_ID | 0123456789abcdef0123456789abcdef | the default project |
| IMS_MOCK_TOKEN | mock-token | its X-Auth-Token |
| IMS_MOCK_AK | MOCKACCESSKEY0000000 | its access key |
| IMS_MOCK_SK | mock-secret-key | its secret key |
| IMS_MOCK_EXTRA_PROJECTS | (none) | more projects: `PROJECT:TOKEN:AK:SK` separated by `;` |
| IMS_MOCK_TEMPORARY_KEYS | (none) | temporary (STS) credentials: `PROJECT:AK:SK:SECURITY_TOKEN` separated by `;` |
| IMS_MOCK_FAULTS | (none) | faults to plant, separated by `,` |

The defaults are for local use only; the mock holds no real data and listens on 127.0.0.1.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from ims_mock.auth import Credentials, Project, TemporaryKey

DEFAULT_PROJECT_ID = "0123456789abcdef0123456789abcdef"
DEFAULT_TOKEN = "mock-token"  # noqa: S105 -- a documented local default, not a secret
DEFAULT_AK = "MOCKACCESSKEY0000000"
DEFAULT_SK = "mock-secret-key"


def parse_project(text: str) -> Project:
    """A `PROJECT:TOKEN:AK:SK` specification (the SK may itself contain `:`)."""
    parts = text.strip().split(":", 3)
    if len(parts) != 4 or not all(parts):
        raise ValueError("a project is PROJECT_ID:TOKEN:AK:SK, all four non-empty")
    return Project(project_id=parts[0], token=parts[1], access_key=parts[2], secret_key=parts[3])


def parse_temporary_key(text: str) -> TemporaryKey:
    """A `PROJECT:AK:SK:SECURITY_TOKEN` specification (the security token may itself contain `:`)."""
    parts = text.strip().split(":", 3)
    if len(parts) != 4 or not all(parts):
        raise ValueError("a temporary key is PROJECT_ID:AK:SK:SECURITY_TOKEN, all four non-empty")
    return TemporaryKey(project_id=parts[0], access_key=parts[1], secret_key=parts[2], security_token=parts[3])


def default_credentials(
    env: Mapping[str, str] | None = None, extra: list[str] | None = None, temporary: list[str] | None = None
) -> Credentials:
    """The default project (from IMS_MOCK_* or the defaults), any extra projects and temporary keys."""
    env = os.environ if env is None else env
    main = Project(
        project_id=env.get("IMS_MOCK_PROJECT_ID", DEFAULT_PROJECT_ID),
        token=env.get("IMS_MOCK_TOKEN", DEFAULT_TOKEN),
        access_key=env.get("IMS_MOCK_AK", DEFAULT_AK),
        secret_key=env.get("IMS_MOCK_SK", DEFAULT_SK),
    )
    specs = [s for s in env.get("IMS_MOCK_EXTRA_PROJECTS", "").split(";") if s.strip()] + (extra or [])
    keys = [s for s in env.get("IMS_MOCK_TEMPORARY_KEYS", "").split(";") if s.strip()] + (temporary or [])
    return Credentials((main, *(parse_project(spec) for spec in specs)), tuple(map(parse_temporary_key, keys)))
