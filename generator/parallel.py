"""Two independent jobs at once: one in a forked child, where the platform forks.

A render's targets share nothing but the spec they read. On the 2-core machine the docs of
the whole OpenAI spec render in 0.7 s while the SDK renders and formats in another 0.7 s,
so running them side by side takes a third off a cold generation. The child is forked, not
spawned: it starts with the spec and the compiled templates already in memory, where a
spawned one would start an interpreter, re-import sdkgen and unpickle the spec (about half
of what the overlap saves). Its result, its stage times and any exception come back pickled
through a pipe.

Where there is nothing to gain or fork is not the platform's way (one core; Windows, and
macOS, whose system libraries are not fork-safe), the two jobs run here, one after the
other. Either way the outcome is the same: the foreground job's exception, if it raises,
else the background job's, else both results.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from . import timings

A = TypeVar("A")
B = TypeVar("B")


class ChildTraceback(Exception):
    """Where in the forked child an exception was raised (its `__cause__`, for --debug)."""


def alongside(foreground: Callable[[], A], background: Callable[[], B]) -> tuple[A, B]:
    """`(foreground(), background())`, the background job in a forked child when that
    can save time."""
    if not can_fork():
        return foreground(), background()
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(background, sender), name="sdkgen-background")
    started = time.perf_counter()
    with warnings.catch_warnings():
        # Python 3.12+ warns of any fork in a process with threads (the CLI runs commands
        # in one, see cli._run_deep), since another thread may hold a lock the child then
        # needs. Here the only other thread is the main one, blocked on an Event.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        child.start()
    sender.close()  # the child holds its own: EOF here if it dies before it answers
    try:
        mine = foreground()
        foreground_seconds = time.perf_counter() - started
        try:
            answer = receiver.recv()
        except EOFError:
            child.join()
            raise RuntimeError(
                f"the background job ended without an answer (exit code {child.exitcode})"
            ) from None
        child.join()
    finally:
        receiver.close()
        if child.is_alive():  # the foreground failed or was interrupted
            child.kill()
            child.join()
    value, error, where, spent = answer
    # What running side by side saved, charged as a negative stage: the stages still add up
    # to the time the command took.
    overlap = foreground_seconds + sum(spent.values()) - (time.perf_counter() - started)
    for stage, seconds in spent.items():
        timings.charge(stage, seconds)
    timings.charge("in parallel", -max(overlap, 0.0))
    if error is not None:
        raise error from ChildTraceback(where)
    return mine, value


def can_fork() -> bool:
    return sys.platform.startswith("linux") and _cores() > 1


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _child(job: Callable[[], Any], sender: Any) -> None:
    timings.reset()
    try:
        answer = (job(), None, "", timings.spent())
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        where = "".join(traceback.format_exception(exc)).rstrip()
        answer = (None, _portable(exc), where, timings.spent())
    sender.send(answer)
    sender.close()


def _portable(exc: BaseException) -> BaseException:
    """`exc`, or an exception that says the same if `exc` does not survive pickling (its
    traceback is lost either way: the parent gets it as text)."""
    import pickle

    try:
        return pickle.loads(pickle.dumps(exc))  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - any exception type may fail to round-trip
        return RuntimeError(f"{type(exc).__name__}: {exc}")
