"""The contract suite's fixtures; the run's life is the plugin in `contract_tests/plugin/`.

Environment (see also `settings.py` for the run's bounds and `run.py` for the exit codes):
  IMS_BASE_URL      a server to test instead of the embedded mock (may carry a path prefix)
  IMS_AUTH_TOKEN    a token; or HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK for AK/SK signing
                    (+ HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary credentials from STS)
  HUAWEICLOUD_SDK_PROJECT_ID (or IMS_PROJECT_ID)  the project of those credentials
  IMS_MAX_CREATES   creates that may be accepted by a non-embedded target (default 0)
  IMS_PROFILE       `ci` (default: fixed seed, fast) or `thorough` (many more examples, random seed)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis

from contract_tests import card as report_card
from contract_tests import plugin
from contract_tests.api import Api
from contract_tests.head_start import Started
from contract_tests.profiles import load_profile
from contract_tests.run import Run
from contract_tests.session import ContractSession
from contract_tests.spec import load_schema
from contract_tests.target import Target

load_profile()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Check every setting and register the run's parts (contract_tests/plugin/)."""
    plugin.register(config)


@pytest.fixture(scope="session")
def run(request: pytest.FixtureRequest) -> Run:
    """The run: its target (the embedded mock unless IMS_BASE_URL is set), preflight passed."""
    return request.config.stash[plugin.LIFECYCLE].run()


@pytest.fixture(scope="session")
def target(run: Run) -> Target:
    """The server under test."""
    return run.target


@pytest.fixture(scope="session")
def http(run: Run) -> ContractSession:
    """The one HTTP session all requests of the run go through."""
    return run.session


@pytest.fixture(scope="session")
def card(request: pytest.FixtureRequest) -> report_card.Card:
    """The run's report card, for tests that record observations."""
    return request.config.stash[plugin.STATE].card


@pytest.fixture
def api(target: Target, http: ContractSession, card: report_card.Card) -> Iterator[Api]:
    """Helpers over the session for the end-to-end tests; deletes what a failed test left behind."""
    helper = Api(target, http, card)
    yield helper
    for image_id in helper.created_images:
        helper.http.delete(target.url(f"/v2/images/{image_id}"), headers=target.credential_headers(), timeout=30)


@pytest.fixture
def started(request: pytest.FixtureRequest, api: Api) -> list[Started]:
    """The creates of the test (`@pytest.mark.creates(n, part, bodies=)`): sent with the plan's, or now."""
    return request.config.stash[plugin.STATE].head_start.take(request.node, api)


@pytest.fixture(scope="session")
def ims_schema(target: Target) -> schemathesis.BaseSchema:
    """The spec, loaded from the file with the suite's own Schemathesis configuration."""
    return load_schema(target.base_url, target.credentials.project_id, target.credential_headers())
