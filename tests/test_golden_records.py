"""The general case's golden records (tests/golden/): each is exactly what sdkgen renders
now. After a deliberate change, run `.venv/bin/python -m tests.golden` and review the diff."""

from __future__ import annotations

import pytest

from sdkgen.output import diff_trees, read_tree

from .golden import GOLDEN, RECORDS, render_record


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_record_matches_a_fresh_render(name: str) -> None:
    diff = diff_trees(render_record(name), read_tree(GOLDEN / name), f"tests/golden/{name}")
    assert not diff, "stale; run `python -m tests.golden` and review:\n" + "\n".join(diff[:60])


def test_every_record_has_its_document() -> None:
    assert all(path.is_file() for path in RECORDS.values())
    assert sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name in RECORDS) == sorted(
        RECORDS
    )
