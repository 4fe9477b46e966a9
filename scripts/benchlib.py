"""What every benchmark script shares: the machine line and writing a section of BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "BENCHMARKS.md"


def record(section: str, body: str) -> None:
    """Replace (or add) `## section` in BENCHMARKS.md with `body`."""
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    heading = f"## {section}"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    block = f"{heading}\n\n{body.strip()}\n\n"
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block
    BENCHMARKS.write_text(text.rstrip() + "\n", encoding="utf-8")


def memory_kib(pid: int, field: str = "VmRSS") -> int | None:
    """A memory figure of process `pid` from /proc (VmRSS now, VmHWM its peak) in KiB; None once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else None


def machine() -> str:
    """A one-line description of this machine."""
    cpu = platform.processor() or platform.machine()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else ""
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores, {model or cpu}, {system}, Python {platform.python_version()}"
