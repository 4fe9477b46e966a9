"""The contract suite's guards, one by one, in process.

The mark, the ownership guard, the ledger, retries, caps, redirects, redaction and bad settings.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest
import requests

from contract_tests import cleanup
from contract_tests.ledger import Ledger
from contract_tests.mark import carries_mark, is_marked, mark_tag, mark_text, marked_bodies
from contract_tests.redact import Redactor
from contract_tests.run import RunError, check_env
from contract_tests.sending import reading
from contract_tests.session import AnswerLost, ContractSession, ForeignHost, OutOfTime, ResponseTooLarge, Throttled
from contract_tests.settings import Rate, SettingsError, parse_rate, settings_from_env
from contract_tests.target import Credentials, Target, Withheld, base_url_from_env
from ims._transport import StdlibTransport, default_transport
from ims_mock.app import create_app
from ims_mock.faults import build_app
from ims_mock.settings import default_credentials
from scripts.hostile import hostile_server, lossy
from tests.servers import config, serve_app

PROJECT = "9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a"
TOKEN = "guard-token"
MOCK_ENV = {
    "IMS_MOCK_PROJECT_ID": PROJECT,
    "IMS_MOCK_TOKEN": TOKEN,
    "IMS_MOCK_AK": "GUARDAK0000000000000",
    "IMS_MOCK_SK": "sk",
}
RUN_ID = "20261127-000000-0badf00d"
CREATE = "/v1/cloudimages/dataimages/action"
VALID: dict[str, Any] = {"name": "a", "image_url": "image-test:x.qcow2", "min_disk": 40}


def _session(url: str, tmp_path: Path, **env: str) -> ContractSession:
    settings = settings_from_env({"IMS_RUN_ID": RUN_ID, "IMS_REPORTS_DIR": str(tmp_path), **env}, embedded=False)
    target = Target(url, Credentials(PROJECT, token=TOKEN), embedded=False, max_creates=100)
    return ContractSession(target, settings, Ledger.open(RUN_ID, settings.run_dir))


@contextmanager
def _mock(lose_every: int = 0) -> Iterator[tuple[str, Any]]:
    app = create_app(config(credentials=default_credentials(MOCK_ENV), job_seconds=0.05))
    with serve_app(lossy(app, lose_every) if lose_every else app) as url:
        yield url, app


def _foreign_image(url: str, app: Any) -> str:
    with httpx.Client(base_url=url, headers={"X-Auth-Token": TOKEN}) as client:
        client.post(CREATE, json={**VALID, "name": "foreign"}).raise_for_status()
    time.sleep(0.1)
    (image,) = app.store.project_images(PROJECT, time.time())
    return str(image.image_id)


# --- the mark ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (VALID, {**VALID, "description": mark_text(RUN_ID)}),
        ({**VALID, "description": "d"}, {**VALID, "description": "d", "tags": [mark_tag(RUN_ID)]}),
        (
            {**VALID, "description": "d", "image_tags": [{"key": "k"}]},
            {**VALID, "description": "d", "image_tags": [{"key": "k"}, {"key": "ims-ct-run", "value": RUN_ID}]},
        ),
        (
            {**VALID, "description": "d", "tags": [f"k{i}" for i in range(10)]},
            {**VALID, "description": f"d {mark_text(RUN_ID)}", "tags": [f"k{i}" for i in range(10)]},
        ),
    ],
    ids=["description", "a tag", "an image_tags item", "appended to the description"],
)
def test_the_mark_goes_where_it_breaks_no_rule(body: dict[str, Any], expected: dict[str, Any]) -> None:
    assert marked_bodies(body, RUN_ID)[0] == expected
    assert is_marked(expected, RUN_ID)


def test_a_listed_image_carries_the_mark_as_a_tag_or_in_its_description_and_nothing_else_does() -> None:
    assert carries_mark({"tags": [mark_tag(RUN_ID)]}, RUN_ID)
    assert carries_mark({"__description": f"x {mark_text(RUN_ID)}"}, RUN_ID)
    assert not carries_mark({"tags": [mark_tag("20200101-000000-deadbeef")], "name": RUN_ID}, RUN_ID)
    assert not carries_mark({"__description": RUN_ID}, RUN_ID)


def test_a_create_with_no_room_for_the_mark_is_withheld(tmp_path: Path) -> None:
    full = {**VALID, "description": "d" * 1024, "tags": [f"k{i}" for i in range(10)]}
    with _mock() as (url, app):
        session = _session(url, tmp_path)
        with pytest.raises(Withheld):
            session.post(url + CREATE, json=full, headers={"X-Auth-Token": TOKEN})
        assert not app.store.jobs


def test_every_accepted_create_is_marked_and_in_the_ledger_before_it_is_sent(tmp_path: Path) -> None:
    with _mock() as (url, app):
        session = _session(url, tmp_path)
        response = session.post(url + CREATE, json=VALID, headers={"X-Auth-Token": TOKEN})
        assert response.status_code == 200
        (job,) = app.store.jobs.values()
        assert job.request.description == mark_text(RUN_ID)
    events = [
        json.loads(line)["event"] for line in (tmp_path / "runs" / RUN_ID / "ledger.jsonl").read_text().splitlines()
    ]
    assert events == ["create-sent", "create-dispatched", "create-answered"]


def test_a_create_that_must_be_rejected_is_marked_too_and_its_job_kept_if_a_server_accepts_it(tmp_path: Path) -> None:
    served, app = build_app(
        config(credentials=default_credentials(MOCK_ENV), job_seconds=0.05), frozenset({"accept-min-disk-39"})
    )
    with serve_app(served) as url:
        session = _session(url, tmp_path)
        answer = session.post(url + CREATE, json={**VALID, "min_disk": 39}, headers={"X-Auth-Token": TOKEN})
        assert answer.status_code == 200  # the planted bug
        (job,) = app.store.jobs.values()
        assert job.request.description == mark_text(RUN_ID)
        assert session.ledger.owns_job(answer.json()["job_id"])
        repeated = b'{"name": "a", "name": "b", "image_url": "image-test:x.qcow2", "min_disk": 40}'
        sent = session.post(
            url + CREATE, data=repeated, headers={"X-Auth-Token": TOKEN, "Content-Type": "application/json"}
        )
        assert sent.request.body == repeated, "a body that repeats a key must go out exactly as written"


@pytest.mark.parametrize(
    "body",
    [
        {**VALID, "description": "a <b>"},
        {**VALID, "description": "d" * 1025},
        {**VALID, "tags": [f"k{i}" for i in range(11)]},
        {**VALID, "tags": None},
        {**VALID, "image_tags": {"key": "a"}},
        {**VALID, "tags": ["a"], "image_tags": []},
    ],
    ids=["angle brackets", "description 1025", "11 tags", "null tags", "image_tags object", "both tag fields"],
)
def test_the_mark_never_changes_why_a_body_is_refused(body: dict[str, Any]) -> None:
    target = Target("http://127.0.0.1:1", Credentials(PROJECT, token=TOKEN), embedded=False, max_creates=0)
    faults = target.body_faults(body)
    assert faults
    kept = [option for option in marked_bodies(body, RUN_ID) if target.body_faults(option) == faults]
    assert all(is_marked(option, RUN_ID) for option in kept)


def test_the_mark_alternates_so_bodies_without_a_description_and_without_tags_both_reach_the_server(
    tmp_path: Path,
) -> None:
    with _mock() as (url, app):
        session = _session(url, tmp_path)
        for _ in range(2):
            assert session.post(url + CREATE, json=VALID, headers={"X-Auth-Token": TOKEN}).status_code == 200
        first, second = (job.request for job in app.store.jobs.values())
    assert (first.description, first.tags) == (mark_text(RUN_ID), ())
    assert (second.description, second.tags) == ("", (("ims-ct-run", RUN_ID),))


# --- ownership -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["DELETE", "PATCH", "PUT", "POST"])
def test_a_mutating_request_never_reaches_an_image_the_run_did_not_create(tmp_path: Path, method: str) -> None:
    with _mock() as (url, app):
        foreign = _foreign_image(url, app)
        session = _session(url, tmp_path)
        for path in (f"/v2/images/{foreign}", f"/v2/cloudimages/{foreign}", f"/v2/images/{foreign.upper()}"):
            response = session.request(
                method, url + path, json={"delete_backup": False}, headers={"X-Auth-Token": TOKEN}
            )
            assert foreign not in (response.request.url or "")
        assert [i.image_id for i in app.store.project_images(PROJECT, time.time())] == [foreign]
        assert session.ownership.ids_replaced == 3


def test_the_runs_own_image_is_deleted_as_asked(tmp_path: Path) -> None:
    with _mock() as (url, _):
        session = _session(url, tmp_path)
        job_id = session.post(url + CREATE, json=VALID, headers={"X-Auth-Token": TOKEN}).json()["job_id"]
        time.sleep(0.1)
        image_id = session.get(url + f"/v1/cloudimages/job/{job_id}", headers={"X-Auth-Token": TOKEN}).json()[
            "entities"
        ]["image_id"]
        # The job's word is a claim; the image's own mark, read right before the delete, is the proof.
        assert session.ledger.knows_image(image_id)
        assert not session.ledger.owns_image(image_id)
        assert session.delete(url + f"/v2/images/{image_id}", headers={"X-Auth-Token": TOKEN}).status_code == 204
        assert session.ownership.looked[image_id] == "marked"
        assert session.ledger.images_left() == []
        assert session.ownership.ids_replaced == 0


def test_the_ledger_file_replays_to_the_same_state_and_survives_a_cut_line(tmp_path: Path) -> None:
    ledger = Ledger.open(RUN_ID, tmp_path)
    first = ledger.create_sent("a")
    ledger.create_answered(first, "j" * 32)
    ledger.create_lost(ledger.create_sent("b"), "ConnectionError")
    ledger.job_seen("j" * 32, "SUCCESS", "i-1")
    ledger.image_found("i-1", "listed with the run's mark")
    with (tmp_path / "ledger.jsonl").open("a") as handle:
        handle.write('{"event": "image", "ima')
    again = Ledger.load(RUN_ID, tmp_path / "ledger.jsonl")
    assert (
        again.counts()
        == ledger.counts()
        == {"creates": 2, "answers_lost": 1, "images": 1, "deleted": 0, "left": 1, "open_jobs": 0, "foreign": 0}
    )


# --- the wire ----------------------------------------------------------------------------------------------


def test_a_request_for_another_host_is_never_sent(tmp_path: Path) -> None:
    with hostile_server("record", host="127.0.0.2") as (elsewhere, other):
        session = _session("http://127.0.0.1:9", tmp_path)
        with pytest.raises(ForeignHost):
            session.get(elsewhere + "/v2/cloudimages", headers={"X-Auth-Token": TOKEN})
        assert other.seen == []


def test_a_redirect_is_answered_not_followed(tmp_path: Path) -> None:
    with (
        hostile_server("record", host="127.0.0.2") as (elsewhere, other),
        hostile_server("redirect", elsewhere=elsewhere) as (url, _),
    ):
        response = _session(url, tmp_path).get(url + "/v2/images", headers={"X-Auth-Token": TOKEN})
        assert response.status_code == 302
        assert other.seen == []


@pytest.mark.parametrize("behaviour", ["gzip-bomb", "huge-body"])
def test_a_body_over_the_cap_is_refused_after_decompression(tmp_path: Path, behaviour: str) -> None:
    with hostile_server(behaviour) as (url, _), pytest.raises(ResponseTooLarge, match="IMS_MAX_RESPONSE_BYTES=1048576"):
        _session(url, tmp_path, IMS_MAX_RESPONSE_BYTES=str(1024 * 1024)).get(url + "/v2/images")


def test_reads_survive_dropped_answers_and_a_lost_create_answer_is_recorded_not_repeated(tmp_path: Path) -> None:
    with _mock(lose_every=2) as (url, app):
        session = _session(url, tmp_path)
        for _ in range(4):  # every other answer is lost; each read is retried
            assert session.get(url + "/v2/cloudimages", headers={"X-Auth-Token": TOKEN}).status_code == 200
        outcomes: list[int | str] = []
        for _ in range(2):
            try:
                outcomes.append(session.post(url + CREATE, json=VALID, headers={"X-Auth-Token": TOKEN}).status_code)
            except AnswerLost:
                outcomes.append("lost")
        assert sorted(map(str, outcomes)) == ["200", "lost"]
        assert len(app.store.jobs) == 2, "a create whose answer was lost was sent again"
        assert session.ledger.lost_creates() == 1


def test_a_create_stopped_mid_request_counts_as_lost_and_the_cleanup_finds_its_image(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C or SIGTERM landing after the server acted but before the answer was read: the image
    # exists and the run has no job id for it. It must look for it by its mark, and delete it.
    with _mock() as (url, app):
        session = _session(url, tmp_path)

        def interrupted(response: requests.Response, cap: int) -> None:
            response.close()
            raise KeyboardInterrupt

        with monkeypatch.context() as patch:
            patch.setattr(reading, "read_capped", interrupted)
            with pytest.raises(KeyboardInterrupt):
                session.post(url + CREATE, json=VALID, headers={"X-Auth-Token": TOKEN})
        assert len(app.store.jobs) == 1
        assert session.ledger.lost_creates() == 1
        result = cleanup.clean_up(session, say=lambda line: None)
        assert result.listed
        assert result.left == []
        assert len(result.deleted) == 1
        assert app.store.project_images(PROJECT, time.time()) == []


def test_a_create_stopped_before_it_went_out_is_withdrawn_and_nothing_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C while the rate limiter holds the create back: nothing was sent, so the cleanup must not
    # wait up to IMS_JOB_TIMEOUT for an image that cannot exist.
    with _mock() as (url, app):
        session = _session(url, tmp_path, IMS_JOB_TIMEOUT="60")

        def interrupted() -> None:
            raise KeyboardInterrupt

        with monkeypatch.context() as patch:
            patch.setattr(session.pacing.limiter, "acquire", interrupted)
            with pytest.raises(KeyboardInterrupt):
                session.post(url + CREATE, json=VALID, headers={"X-Auth-Token": TOKEN})
        assert app.store.jobs == {}
        assert session.ledger.lost_creates() == 0
        started = time.monotonic()
        result = cleanup.clean_up(session, say=lambda line: None)
        assert time.monotonic() - started < 30
        assert (result.left, result.deleted, result.listed) == ([], [], False)


def test_a_create_with_no_recorded_answer_counts_as_lost_when_the_ledger_is_read_again(tmp_path: Path) -> None:
    # kill -9 between the two writes: `make cleanup` must list, or it would miss the image.
    ledger = Ledger.open(RUN_ID, tmp_path)
    ledger.create_answered(ledger.create_sent("a"), "j" * 32)
    ledger.create_answered(ledger.create_sent("refused"), None)
    ledger.create_dispatched(ledger.create_sent("cut short"))
    ledger.create_sent("never went out")
    assert Ledger.load(RUN_ID, tmp_path / "ledger.jsonl").lost_creates() == 1


def test_a_429_is_waited_out_and_retried(tmp_path: Path) -> None:
    app = create_app(config(credentials=default_credentials(MOCK_ENV), rate_limit=(1, 0.5)))
    with serve_app(app) as url:
        session = _session(url, tmp_path)
        statuses = [
            session.post(url + CREATE, json={**VALID, "min_disk": 1}, headers={"X-Auth-Token": TOKEN}).status_code
            for _ in range(3)
        ]
    assert statuses == [400, 400, 400]
    assert session.pacing.throttled >= 1
    assert session.pacing.limiter.waited > 0


# --- redaction and settings --------------------------------------------------------------------------------


def test_secrets_and_header_values_are_masked_in_every_form() -> None:
    redact = Redactor()
    redact.add("tok-123456", "sk-abcdef")
    text = redact(
        "headers = {'X-Auth-Token': 'other-token', 'Content-Type': 'application/json'}\n"
        "curl -H 'Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=0123456789abcdef0123'\n"
        "token tok-123456 and sk-abcdef; Signature=deadbeefdeadbeef"
    )
    for secret in ("tok-123456", "sk-abcdef", "other-token", "0123456789abcdef0123", "deadbeefdeadbeef"):
        assert secret not in text
    assert "'Content-Type': 'application/json'" in text


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"IMS_RATE_LIMIT": "0/5"}, "IMS_RATE_LIMIT"),
        ({"IMS_RATE_LIMIT": "²"}, "IMS_RATE_LIMIT"),
        ({"IMS_JOB_TIMEOUT": "-1"}, "IMS_JOB_TIMEOUT"),
        ({"IMS_DEADLINE": "nan"}, "IMS_DEADLINE"),
        ({"IMS_REQUEST_TIMEOUT": "1e99"}, "IMS_REQUEST_TIMEOUT"),
        ({"IMS_MAX_RESPONSE_BYTES": "\u0661\u0660\u0660\u0660\u0660"}, "IMS_MAX_RESPONSE_BYTES"),
        ({"IMS_RUN_ID": "../../etc"}, "IMS_RUN_ID"),
        ({"IMS_RUN_ID": "short"}, "IMS_RUN_ID"),
        ({"IMS_TEST_BUCKET": "Image_Test"}, "IMS_TEST_BUCKET"),
        ({"IMS_TEST_IMAGE_FILE": "no-bucket-given.qcow2"}, "IMS_TEST_IMAGE_FILE"),
        ({"IMS_TEST_IMAGE_FILE": "image-test:"}, "IMS_TEST_IMAGE_FILE"),
    ],
)
def test_a_bad_setting_is_refused_with_its_name(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        settings_from_env(env, embedded=False)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"IMS_BASE_URL": "http://127.0.0.1:1", "IMS_PROJECT_ID": PROJECT}, "IMS_BASE_URL needs credentials"),
        ({"IMS_BASE_URL": "ftp://127.0.0.1:1", "IMS_AUTH_TOKEN": "t", "IMS_PROJECT_ID": PROJECT}, "http://"),
        ({"IMS_BASE_URL": "http://127.0.0.1:1", "IMS_AUTH_TOKEN": "t"}, "HUAWEICLOUD_SDK_PROJECT_ID"),
        ({"IMS_MAX_CREATES": "\u00b2"}, "IMS_MAX_CREATES"),
        ({"IMS_RUN_ID": "a b"}, "IMS_RUN_ID"),
    ],
)
def test_a_run_with_bad_settings_is_a_usage_error_before_anything_is_sent(env: dict[str, str], message: str) -> None:
    with pytest.raises(RunError, match=message) as raised:
        check_env(env)
    assert raised.value.usage


def test_rates_and_defaults() -> None:
    assert parse_rate("4") == Rate(4, 1.0)
    assert parse_rate("20/5") == Rate(20, 5.0)
    assert settings_from_env({}, embedded=False).rate == Rate(20, 5.0)
    assert settings_from_env({}, embedded=True).rate is None


def test_requests_is_what_the_session_raises_for_transport_errors(tmp_path: Path) -> None:
    session = _session("http://127.0.0.1:9", tmp_path)
    with pytest.raises(requests.ConnectionError):
        session.get("http://127.0.0.1:9/v2/cloudimages")


# --- round two: the whole-request deadline, loopback, secrets in every form, the cleanup's truth -------------


@pytest.mark.parametrize("behaviour", ["trickle-headers", "trickle-body"])
def test_a_trickling_answer_is_cut_at_the_whole_request_deadline_and_not_retried(
    tmp_path: Path, behaviour: str
) -> None:
    # One byte every half second: each read is well within IMS_REQUEST_TIMEOUT=1, the request is not.
    with hostile_server(behaviour) as (url, server):
        session = _session(url, tmp_path, IMS_REQUEST_TIMEOUT="1")
        started = time.monotonic()
        with pytest.raises(requests.ReadTimeout, match="the request's deadline"):
            session.get(url + "/v2/cloudimages", headers={"X-Auth-Token": TOKEN})
        took = time.monotonic() - started
        assert len(server.seen) == 1, "a timed-out GET was retried as if its connection had dropped"
    assert took < 2 * 1 + 5, f"the request was held {took:.1f} s"


def test_no_request_outlasts_the_runs_end_and_none_starts_after_it(tmp_path: Path) -> None:
    with hostile_server("trickle-body") as (url, server):
        session = _session(url, tmp_path, IMS_REQUEST_TIMEOUT="30")
        session.clock.ends_at = time.monotonic() + 1.5
        with pytest.raises(requests.ReadTimeout):
            session.get(url + "/v2/cloudimages", headers={"X-Auth-Token": TOKEN})
        with pytest.raises(OutOfTime):
            session.get(url + "/v2/cloudimages", headers={"X-Auth-Token": TOKEN})
        assert len(server.seen) == 1


def test_a_retry_after_longer_than_what_remains_is_not_waited_for(tmp_path: Path) -> None:
    with hostile_server("throttle") as (url, server):
        session = _session(url, tmp_path)
        session.clock.ends_at = time.monotonic() + 5
        started = time.monotonic()
        with pytest.raises(Throttled):
            session.get(url + "/v2/cloudimages", headers={"X-Auth-Token": TOKEN})
        assert time.monotonic() - started < 4, "a Retry-After: 20 was waited for with 5 s left"
        assert len(server.seen) == 1


@pytest.mark.parametrize(
    "host", ["localhost", "localhost.", "LOCALHOST", "127.0.0.1", "127.1", "127.0.0.3", "[::1]", "0x7f.1"]
)
def test_every_loopback_alias_bypasses_an_environment_proxy_in_the_suite_and_the_client(
    tmp_path: Path, host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.2:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.2:9")
    assert not _session(f"http://{host}:8000", tmp_path).trust_env
    assert isinstance(default_transport(f"http://{host}:8000"), StdlibTransport)


@pytest.mark.parametrize("host", ["example.com", "127.0.0.1.example.com", "localhost.example.com", "10.0.0.1"])
def test_a_remote_host_keeps_the_environments_proxy(tmp_path: Path, host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.2:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.2:9")
    assert _session(f"http://{host}:8000", tmp_path).trust_env
    assert not isinstance(default_transport(f"http://{host}:8000"), StdlibTransport)


def test_a_token_sent_to_a_loopback_alias_never_reaches_the_proxy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with hostile_server("record", host="127.0.0.2") as (proxy, recorder), _mock() as (url, _):
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.setenv("http_proxy", proxy)
        alias = url.replace("127.0.0.1", "127.1")
        response = _session(alias, tmp_path).get(alias + "/v2/cloudimages", headers={"X-Auth-Token": TOKEN})
        assert response.status_code == 200
        assert recorder.seen == []


@pytest.mark.parametrize(
    "form",
    [
        lambda s: repr(s),
        lambda s: json.dumps(s),
        lambda s: quote(s, safe=""),
        lambda s: quote_plus(s),
        lambda s: html.escape(s),
        lambda s: s.strip(),
        lambda s: f"  {s}\t",
    ],
    ids=["repr", "json", "url", "url-plus", "html", "stripped", "padded"],
)
def test_a_secret_is_masked_in_every_representation(form: Any) -> None:
    secret = "tok/with\nnewline & <markup> 'quotes'\n"
    redact = Redactor()
    redact.add(secret)
    shown = redact(f"before {form(secret)} after")
    assert secret.strip() not in shown
    assert form(secret).strip() not in shown, shown
    assert shown.startswith("before ")
    assert shown.endswith(" after")


def test_user_info_in_any_url_is_masked_and_a_base_url_loses_it() -> None:
    assert (
        Redactor()("GET http://alice:s3cret@host:1/x and https://bob@h/")
        == "GET http://***@host:1/x and https://***@h/"
    )
    clean, userinfo = base_url_from_env({"IMS_BASE_URL": "https://ci:p%40ss@ims.example.com/prefix/"})
    assert clean == "https://ims.example.com/prefix"
    assert {"ci", "p%40ss", "p@ss"} <= set(userinfo)


@pytest.mark.parametrize("value", ["http://", "https://:8080", "http://host:port", "ims.example.com"])
def test_a_base_url_without_a_usable_host_is_a_usage_error(value: str) -> None:
    env = {"IMS_BASE_URL": value, "IMS_AUTH_TOKEN": "t" * 8, "IMS_PROJECT_ID": PROJECT}
    with pytest.raises(RunError) as raised:
        check_env(env)
    assert raised.value.usage
    assert "IMS_BASE_URL" in str(raised.value)


def test_a_cleanup_out_of_time_while_an_image_may_still_appear_says_so_and_is_not_clean(tmp_path: Path) -> None:
    with _mock() as (url, _):
        session = _session(url, tmp_path, IMS_JOB_TIMEOUT="600")
        in_flight = session.ledger.create_sent("in flight")
        session.ledger.create_dispatched(in_flight)
        session.ledger.create_lost(in_flight, "ConnectionError")
        result = cleanup.clean_up(session, say=lambda line: None, budget=1.0)
    assert result.may_appear_until is not None
    assert result.may_appear_until > time.time() + 500
    assert not result.clean
    lines = cleanup.report_lines(result, RUN_ID)
    assert any("may still appear until" in line and "run again after then" in line for line in lines), lines


def test_an_image_listed_with_the_mark_accounts_for_a_lost_create_and_the_cleanup_is_clean(tmp_path: Path) -> None:
    with _mock() as (url, app):
        session = _session(url, tmp_path, IMS_JOB_TIMEOUT="600")
        session.ledger.create_dispatched(session.ledger.create_sent("lost"))
        body = {**VALID, "tags": [mark_tag(RUN_ID)]}
        httpx.post(url + CREATE, json=body, headers={"X-Auth-Token": TOKEN}).raise_for_status()
        result = cleanup.clean_up(session, say=lambda line: None, budget=30.0)
        assert app.store.project_images(PROJECT, time.time()) == []
    assert result.clean, result
    assert len(result.deleted) == 1
