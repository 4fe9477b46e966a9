"""The suite's Hypothesis profiles (`IMS_PROFILE`), registered and loaded once; `examples` scales a count.

- `ci` (default): a fixed seed (derandomized), so that a CI failure replays exactly with the same
  command; no shrinking, so that a broken server fails fast (the failing example is reported as found).
- `thorough`: ten times the examples, a random seed (the summary prints it, for a replay).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

PROFILES: dict[str, dict[str, Any]] = {
    "ci": {"max_examples": 25, "derandomize": True, "phases": [Phase.explicit, Phase.reuse, Phase.generate]},
    "thorough": {"max_examples": 400, "derandomize": False},
}
PROFILE = os.environ.get("IMS_PROFILE", "ci")


def load_profile() -> None:
    """Register every profile and load `IMS_PROFILE`'s; a UsageError for an unknown one."""
    if PROFILE not in PROFILES:
        raise pytest.UsageError(f"IMS_PROFILE must be one of {sorted(PROFILES)}, not {PROFILE!r}")
    for name, values in PROFILES.items():
        settings.register_profile(
            f"ims-{name}",
            deadline=None,
            database=None,
            print_blob=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
            **values,
        )
    settings.load_profile(f"ims-{PROFILE}")


def examples(count: int) -> int:
    """`count` examples in the ci profile, ten times as many when thorough."""
    return count if PROFILE == "ci" else count * 10
