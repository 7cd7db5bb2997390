"""Peak memory (RSS) of the stack's processes while a benchmark runs.

Reads Linux's /proc directly: `VmHWM` is the kernel's own high-water mark of a
process's resident set, so no peak between two samples is missed; the sampler
thread adds the resident set of each process's children (none for the servers
here, but a future worker model would show up). psutil is not in the pinned
environment, and /proc is all this needs.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Dict, Iterable, List, Optional

KIB_PER_MIB = 1024


def _status_kib(pid: int, field: str) -> Optional[int]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def children(pid: int) -> List[int]:
    """Every descendant of ``pid`` (via /proc/<pid>/task/*/children)."""
    found: List[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            direct = [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
        for child in direct:
            found += [child] + children(child)
    return found


def rss_mib(pid: int) -> Optional[float]:
    """Resident set of a process and its descendants now (None if it is gone)."""
    own = _status_kib(pid, "VmRSS")
    if own is None:
        return None
    return (own + sum(_status_kib(c, "VmRSS") or 0 for c in children(pid))) / KIB_PER_MIB


def high_water_mib(pid: int) -> Optional[float]:
    """The kernel's peak resident set of this one process since it started."""
    peak = _status_kib(pid, "VmHWM")
    return None if peak is None else peak / KIB_PER_MIB


class PeakMemory:
    """Sample named processes every ``interval_s`` in a thread; keep each one's peak."""

    def __init__(self, pids: Dict[str, int], interval_s: float = 0.25) -> None:
        self.pids = dict(pids)
        self.interval_s = interval_s
        self.peaks: Dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="peak-memory", daemon=True)

    def _sample(self) -> None:
        for name, pid in self.pids.items():
            values = [v for v in (rss_mib(pid), high_water_mib(pid)) if v is not None]
            if values:
                self.peaks[name] = max(self.peaks.get(name, 0.0), *values)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._sample()

    def __enter__(self) -> "PeakMemory":
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sample()

    def rounded(self, names: Optional[Iterable[str]] = None) -> Dict[str, float]:
        return {name: round(self.peaks[name], 1) for name in (names or self.peaks) if name in self.peaks}
