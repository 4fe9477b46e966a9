"""The fault layer: the one registry of deliberate contract violations the mock can be started with.

Each fault is one deviation from docs/contract.md, used to prove that the contract suite catches
it. The faithful core (`app`, `rules`, `store`, `auth`) knows no fault: it takes its limits and
policies as data (`MockConfig`) and exposes its operations as handlers. A fault is declared here,
once, as what it changes:

- `limit`, `policy`: a value of `MockConfig` (a bound, a pattern, a set of formats);
- `rule-off`, `rule-added`: a create rule switched off, or a rule beyond the contract added;
- `request`, `response`: a request or response rewritten, around one or more operations
  (`dispatch(call, call_next)`, the shape of Starlette's `BaseHTTPMiddleware`) or around the whole
  ASGI app (pure ASGI middleware, as Starlette's own middleware is written), for what happens
  before an operation runs (authentication, headers);
- `state`: a layer that keeps state of its own across requests.

Faults are off by default and are switched on only by `--fault NAME` or `IMS_MOCK_FAULTS` when the
server starts; no request can switch one on. `build_app(config, names)` is the app with them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ims_mock.app import ImsMockApp, Scope
from ims_mock.config import MockConfig
from ims_mock.faults.layers import ASGIApp, Headers, ResponseRewrite
from ims_mock.faults.registry import FAULTS, REGISTRY
from ims_mock.faults.variants import VARIANTS

__all__ = ["FAULTS", "REGISTRY", "VARIANTS", "build_app", "describe", "parse_faults"]


def parse_faults(names: Iterable[str]) -> frozenset[str]:
    """Validate fault (or variant) names (whitespace and empty entries ignored); ValueError for unknown ones."""
    chosen = frozenset(name.strip() for name in names if name.strip())
    unknown = sorted(chosen - REGISTRY.keys() - VARIANTS.keys())
    if unknown:
        raise ValueError(f"unknown fault(s): {', '.join(unknown)}; see `ims-mock --list-faults`")
    return chosen


def describe() -> str:
    """Every fault with its kind and description, one per line, for `ims-mock --list-faults`."""
    width = max(map(len, REGISTRY))
    return "\n".join(f"{name:<{width}}  {fault.kind:<10}  {fault.description}" for name, fault in REGISTRY.items())


@dataclass
class _Health:
    """Adds the planted faults to /health, so a test (or a person) can see what a server runs with."""

    names: list[str] = field(default_factory=list)

    def __call__(self, scope: Scope, status: int, headers: Headers, body: bytes) -> tuple[int, Headers, bytes]:
        if scope.get("path") != "/health" or status != 200:
            return status, headers, body
        return status, headers, json.dumps({**json.loads(body), "faults": self.names}, separators=(",", ":")).encode()


def build_app(
    config: MockConfig, names: Iterable[str] = (), clock: Callable[[], float] = time.time
) -> tuple[ASGIApp, ImsMockApp]:
    """The ASGI app with faults `names` planted, and the faithful core inside it.

    Order: configuration changes first (in registry order), then the core, then operation layers
    and ASGI layers, each wrapping what came before (registry order, so the result is the same
    whatever order the names were given in).
    """
    wanted = parse_faults(names)
    everything = {**REGISTRY, **VARIANTS}
    chosen = [(name, everything[name]) for name in everything if name in wanted]
    for _name, fault in chosen:
        if fault.configure is not None:
            config = fault.configure(config)
    core = ImsMockApp(config, clock)
    for _name, fault in chosen:
        if fault.layer is not None:
            core.wrap(fault.layer.operations, fault.layer.make(core))
    app: ASGIApp = core
    for _name, fault in chosen:
        if fault.asgi is not None:
            app = fault.asgi(app, config)
    return ResponseRewrite(app, _Health(sorted(name for name, _ in chosen))), core
