"""The contract suite's pytest plugin, in parts, each a class with its state on the instance.

| part | module | what it does |
|---|---|---|
| run state | `state.py` | what the parts share for one run (`RunState`, in `config.stash[STATE]`) |
| stop guard | `stop_guard.py` | SIGTERM, SIGINT and IMS_DEADLINE stop the run; a stop is never lost |
| lifecycle | `lifecycle.py` | settings at the start; the target and its preflight; cleanup and exit code |
| collection | `collection.py` | test order, the create plan, every test's rules |
| progress | `progress.py` | the progress line; tests done, requests sent, outcomes |
| card recorder | `recorder.py` | each report onto the report card; skips for the run's own choices; masking |
| summary | `summary.py` | the summary printed and written, and the card files |

`register(config)` makes them for a session, as pytest's own plugins (`cacheprovider`) do.
"""

from __future__ import annotations

import pytest

from contract_tests.plugin.collection import Collection
from contract_tests.plugin.lifecycle import Lifecycle, start
from contract_tests.plugin.progress import Progress
from contract_tests.plugin.recorder import CardRecorder
from contract_tests.plugin.state import STATE, RunState
from contract_tests.plugin.stop_guard import StopGuard
from contract_tests.plugin.summary import Summary

LIFECYCLE = pytest.StashKey[Lifecycle]()


def register(config: pytest.Config) -> RunState:
    """Check the settings, make the run's parts and register them; arm the stop guard unless only collecting."""
    state = start(config)
    config.stash[STATE] = state
    guard, progress = StopGuard(state), Progress(state)
    lifecycle = Lifecycle(state, guard, progress)
    config.stash[LIFECYCLE] = lifecycle
    parts = {
        "ims-stop-guard": guard,
        "ims-lifecycle": lifecycle,
        "ims-collection": Collection(state),
        "ims-progress": progress,
        "ims-card-recorder": CardRecorder(state),
        "ims-summary": Summary(state),
    }
    for name, part in parts.items():
        config.pluginmanager.register(part, name)
    if not (config.option.collectonly or config.option.help):
        guard.arm()
    return state


__all__ = ["LIFECYCLE", "STATE", "RunState", "register"]
