"""Two jobs side by side (sdkgen.parallel): results, errors and stage times come back from
the forked child as they would from a run in one process; the render is the same either way."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sdkgen import parallel, timings
from sdkgen.errors import InputError
from sdkgen.pipeline import render_spec_file

from .conftest import FLAGSHIP

needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="runs one job after the other here")


def _pid() -> int:
    return os.getpid()


@pytest.fixture(params=["forked", "in turn"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each outcome test runs both ways: the contract is the same."""
    if request.param == "forked" and not parallel.can_fork():
        pytest.skip("this machine runs the jobs one after the other")
    if request.param == "in turn":
        monkeypatch.setattr(parallel, "can_fork", lambda: False)
    return str(request.param)


@needs_fork
def test_the_background_job_runs_in_another_process() -> None:
    here, there = parallel.alongside(_pid, _pid)
    assert here == os.getpid()
    assert there != os.getpid()


def test_both_results_come_back(mode: str) -> None:
    big = bytes(range(256)) * 40_000  # more than a pipe holds: the parent must read first
    assert parallel.alongside(lambda: {"a": 1}, lambda: {"docs": big}) == ({"a": 1}, {"docs": big})


def _fails_in_the_background() -> None:
    raise InputError("spec.yaml: #/models/Pet", "the field `tag` has no type")


def test_a_background_input_error_keeps_its_place_and_its_traceback(mode: str) -> None:
    with pytest.raises(InputError) as caught:
        parallel.alongside(lambda: None, _fails_in_the_background)
    assert caught.value.where == "spec.yaml: #/models/Pet"
    assert caught.value.message == "the field `tag` has no type"
    if mode == "forked":  # the child's traceback, as text, for --debug
        assert isinstance(caught.value.__cause__, parallel.ChildTraceback)
        assert "_fails_in_the_background" in str(caught.value.__cause__)


def test_the_foreground_error_wins_and_the_child_is_stopped(mode: str, tmp_path: Path) -> None:
    """As when the jobs run in turn (foreground first): its error is the one reported, and a
    background job still running is killed, not left behind."""
    marker = tmp_path / "finished"

    def slow() -> None:
        time.sleep(1)
        marker.write_text("the background job ran to the end")

    def fails() -> None:
        raise ValueError("foreground")

    started = time.perf_counter()
    with pytest.raises(ValueError, match="foreground"):
        parallel.alongside(fails, slow)
    assert time.perf_counter() - started < 0.8  # not waiting for the background job
    time.sleep(1.2)
    assert not marker.exists()


@needs_fork
def test_an_interrupt_in_the_foreground_stops_the_child(tmp_path: Path) -> None:
    marker = tmp_path / "finished"

    def slow() -> None:
        time.sleep(1)
        marker.write_text("still ran")

    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parallel.alongside(interrupted, slow)
    time.sleep(1.2)
    assert not marker.exists()


@needs_fork
def test_a_child_that_dies_without_answering_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="without an answer \\(exit code 3\\)"):
        parallel.alongside(lambda: None, lambda: os._exit(3))


class _Unpicklable(Exception):
    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} / {second}")  # args no longer match __init__


@needs_fork
def test_an_exception_that_cannot_travel_is_reported_by_name() -> None:
    def fails() -> None:
        raise _Unpicklable("left", "right")

    with pytest.raises(RuntimeError, match="_Unpicklable: left / right"):
        parallel.alongside(lambda: None, fails)


@needs_fork
def test_the_childs_stage_times_are_charged_here() -> None:
    def background() -> None:
        with timings.timed("render docs"):
            time.sleep(0.3)

    def foreground() -> None:
        with timings.timed("render python"):
            time.sleep(0.3)

    timings.reset()
    started = time.perf_counter()
    parallel.alongside(foreground, background)
    wall = time.perf_counter() - started
    spent = timings.spent()
    assert spent["render docs"] >= 0.3 and spent["render python"] >= 0.3
    assert spent["in parallel"] < -0.2  # most of one job's time was saved
    # the stages still add up to the time taken (fork and pipe are the difference)
    assert 0 <= wall - sum(spent.values()) < 0.2
    timings.reset()


@pytest.mark.slow
def test_a_render_is_the_same_forked_or_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    forked = render_spec_file(FLAGSHIP.spec)
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    in_turn = render_spec_file(FLAGSHIP.spec)
    assert forked.keys() == in_turn.keys()
    assert [p for p in forked if forked[p] != in_turn[p]] == []
