"""`python -m contract_tests.replay CASE`: send one recorded request again, signed afresh, and show the answer.

Every failure of a run names a command that sends its request again. A request made with a token
replays as a curl that reads the token from `$IMS_AUTH_TOKEN`. A request signed with AK/SK cannot
be re-sent by curl (its signature covers the time it was made), so the run writes it as a case,
`reports/replays/<id>.json` with its body beside it, without any secret, and this command sends it:

    export IMS_BASE_URL=... HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=...
    python -m contract_tests.replay reports/replays/0123456789abcdef.json

It goes through the suite's own session, with every guard of a run: only to IMS_BASE_URL's host,
no redirect followed, a create that could be accepted only within IMS_MAX_CREATES (default 0), a
mutating request only for an image proven the caller's. Exit codes: 0 sent (whatever the answer),
4 usage error, 69 target unreachable or credentials refused.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import requests

from contract_tests.inert import evidence
from contract_tests.target import SIGN_PLACEHOLDER, Withheld

ANSWER_CAP = 4000  # characters of the answer's body printed


def load_case(path: Path) -> dict[str, Any]:
    """A replay case and its body; ValueError saying what is wrong with it."""
    try:
        case = json.loads(path.read_text(encoding="utf-8"))
        body = path.with_suffix(".body").read_bytes() if path.with_suffix(".body").exists() else b""
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read the replay case {path}: {error}") from None
    if not isinstance(case, dict) or not {"method", "url", "headers"} <= case.keys():
        raise ValueError(f"{path} is not a replay case (method, url, headers)")
    return {**case, "body": body}


def main(argv: list[str] | None = None) -> int:
    """Send the case named on the command line; print the answer."""
    from contract_tests.run import EXIT_UNAVAILABLE, EXIT_USAGE, RunError, open_external_run

    parser = argparse.ArgumentParser(prog="python -m contract_tests.replay", description=__doc__.split("\n\n")[0])
    parser.add_argument("case", type=Path, help="a replay case a run wrote (reports/replays/<id>.json)")
    args = parser.parse_args(argv)
    try:
        case = load_case(args.case)
    except ValueError as error:
        print(f"replay: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        run = open_external_run({**os.environ, "IMS_REPORTS_DIR": os.environ.get("IMS_REPORTS_DIR", "reports")})
    except RunError as error:
        print(f"replay: {error}", file=sys.stderr)
        return EXIT_USAGE if error.usage else EXIT_UNAVAILABLE
    headers = dict(case["headers"])
    if case.get("signed"):
        headers["Authorization"] = SIGN_PLACEHOLDER  # the session signs it now, with the current AK/SK
    elif run.target.credentials.token and not any(name.lower() == "authorization" for name in headers):
        headers.update(run.target.credential_headers("token"))
    with run.session as session:
        try:
            response = session.request(
                case["method"], case["url"], headers=headers, data=case["body"] or None, timeout=60
            )
        except Withheld as refused:
            print(f"replay: not sent: {refused}")
            return 0
        except requests.RequestException as error:
            print(f"replay: no answer: {type(error).__name__}: {evidence(str(error), 500)}", file=sys.stderr)
            return EXIT_UNAVAILABLE
    print(f"{case['method']} {session.relative_path(case['url'])} -> {response.status_code}")
    print(f"X-Request-Id: {evidence(response.headers.get('X-Request-Id', ''), 200)}")
    print(evidence(response.text, ANSWER_CAP))
    return 0


if __name__ == "__main__":
    sys.exit(main())
