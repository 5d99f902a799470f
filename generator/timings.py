"""Where a command's time goes, by stage, for `sdkgen --timings` and the benchmark.

Stages nest (an import loads documents); each stage is charged only its own time, so the
figures add up to the time spent in all of them. Recording costs two clock reads a stage;
nothing is printed unless asked.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_spent: dict[str, float] = {}
_children: list[float] = []  # per open stage: time spent in the stages it opened


@contextmanager
def timed(stage: str) -> Iterator[None]:
    _children.append(0.0)
    started = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - started
        inner = _children.pop()
        _spent[stage] = _spent.get(stage, 0.0) + elapsed - inner
        if _children:
            _children[-1] += elapsed


def charge(stage: str, seconds: float) -> None:
    """Charge time measured elsewhere (in a child process) to `stage`."""
    _spent[stage] = _spent.get(stage, 0.0) + seconds


def spent() -> dict[str, float]:
    """Seconds by stage, in the order the stages first ran."""
    return dict(_spent)


def reset() -> None:
    _spent.clear()
