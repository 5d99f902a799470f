"""The YAML shortcuts give what the slow paths give: the event reader the checked node
reader's data (YAML 1.1 included), the spec dumper PyYAML's bytes."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sdkgen.importers import documents
from sdkgen.importers.documents import _read_events, _read_nodes, _Unvouched, parse_yaml
from sdkgen.spec import dump

ROOT = Path(__file__).resolve().parent.parent


def typed(data: Any) -> Any:
    """`data` with every scalar's type beside it (True == 1, and 'yes' must not pass for True)."""
    if isinstance(data, dict):
        return [(typed(k), typed(v)) for k, v in data.items()]
    if isinstance(data, list):
        return [typed(item) for item in data]
    return (type(data).__name__, repr(data))


# YAML 1.1 as PyYAML reads it, which a YAML 1.2 reader would read otherwise.
READ_ALIKE = [
    "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\n",
    "a: 2024-10-01\nb: 2001-12-14t21:59:43.10-05:00\nc: '2024-10-01'\n",
    "a: 017\nb: 0o17\nc: 08\nd: 0x1F\ne: -0x1F\nf: 0b101\ng: 1_000\nh: 1:30\n",
    "a: 1e5\nb: 1.0e5\nc: 1.0e+5\nd: .5\ne: .inf\nf: -.Inf\ng: 1.\nh: +1\n",
    "a: ~\nb: null\nc:\nd: ''\ne: 'null'\n200: x\ntrue: y\n1.5: z\n",
    "a: &x {k: [1, 2]}\nb: *x\nc: &s text\nd: *s\n",
    'a: |\n  yes\nb: >-\n  2024-10-01\nc: "on"\n',
    "[a, {b: c}, [d, 'e'], 12345678901234567890123]\n",
    "# only a comment\n",
    "--- 5\n",
    "a: 1\nb: 1.0\n1: one\n1.0: float one\n",
]

# What only the checked path reads or refuses (with its own message): the event reader
# must hand it over rather than guess.
HANDED_OVER = [
    "a: !!str 1\n",
    "a: !custom x\n",
    "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
    "a: =\n",
    "a: 1\na: 2\n",
    "outer:\n  k: 1\n  k: 2\n",
    "? [a, b]\n: c\n",
    "? *x\n: c\n",
    "a: *undefined\n",
    "a: &x [1]\nb: &x [2]\n",
    "a: &x [1, *x]\n",
    "--- 1\n--- 2\n",
    "[" * (documents.MAX_DEPTH + 1) + "]" * (documents.MAX_DEPTH + 1),
]


@pytest.mark.parametrize("text", READ_ALIKE)
def test_the_event_reader_reads_yaml_as_the_checked_path_does(text: str) -> None:
    assert typed(_read_events(text)) == typed(_read_nodes(text, "x.yaml"))


def test_yaml_1_1_values_keep_their_yaml_1_1_meaning() -> None:
    words = parse_yaml(READ_ALIKE[0], "x.yaml")
    assert words["a"] is True and words["d"] is False and words["e"] == "y"  # as PyYAML has it
    dates = parse_yaml(READ_ALIKE[1], "x.yaml")
    assert dates["a"] == datetime.date(2024, 10, 1)
    assert isinstance(dates["b"], datetime.datetime)
    assert dates["c"] == "2024-10-01"  # quoted: a string


@pytest.mark.parametrize("text", HANDED_OVER)
def test_what_the_event_reader_cannot_vouch_for_goes_to_the_checked_path(text: str) -> None:
    with pytest.raises((_Unvouched, yaml.YAMLError)):
        _read_events(text)


def test_an_alias_shares_its_anchor_object_as_the_checked_path_does() -> None:
    text = READ_ALIKE[5]
    for data in (_read_events(text), _read_nodes(text, "x.yaml")):
        assert data["a"] is data["b"]


def test_an_alias_bomb_is_handed_over_and_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    text = "\n".join(lines) + "\n"
    with pytest.raises(_Unvouched):
        _read_events(text)
    with pytest.raises(Exception, match="beyond"):
        parse_yaml(text, "bomb.yaml")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "spec/upstream").glob("*.yaml")))
def test_the_event_reader_reads_the_pinned_openai_documents_alike(name: str) -> None:
    text = (ROOT / "spec/upstream" / name).read_text(encoding="utf-8")
    assert typed(_read_events(text)) == typed(_read_nodes(text, name))


_TOKENS = st.sampled_from(
    ["yes", "no", "on", "off", "y", "~", "null", "true", "017", "0o17", "1e5", "1_0", "1:30",
     "2024-01-01", ".5", "-.inf", "<<", "0x1F", "plain", "with space", "a: b", "- x", "#c"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TOKENS, _TOKENS, st.sampled_from(["", "'", '"'])), max_size=8))
def test_plain_and_quoted_tokens_read_alike(pairs: list[tuple[str, str, str]]) -> None:
    lines = [f"k{i}: {quote}{value}{quote}" for i, (_, value, quote) in enumerate(pairs)]
    text = "\n".join(lines) + "\n"
    try:
        expected = typed(_read_nodes(text, "x.yaml"))
    except Exception:  # noqa: BLE001 - the checked path refuses it: nothing to compare
        return
    try:
        assert typed(_read_events(text)) == expected
    except (_Unvouched, yaml.YAMLError):
        pass  # handed over: the checked path's answer stands


def _dumped(data: Any, dumper: type | None) -> str:
    return yaml.dump(  # type: ignore[no-any-return]
        data,
        Dumper=dumper,
        sort_keys=False,
        allow_unicode=True,
        width=dump._UNFOLDED,
        default_flow_style=False,
    )


def _pyyamls(data: Any) -> str:
    """What PyYAML's own emitter writes, as on a machine without libyaml."""
    return _dumped(data, dump._PyYAMLDumper)


# Characters libyaml writes differently (escaped or as a line break), the guard's reasons.
_PARTING = ["\r", "\x85", "\u2028", "\u2029", "\ufeff", "\U0001f600", "\x07"]
_ALIKE_CHARS = list("ab Z_09-:#,?[]{}'\"!&*|>%@`.\n\t~é\xa0")


def _text(alphabet: list[str], min_size: int = 0) -> st.SearchStrategy[str]:
    return st.text(alphabet=st.sampled_from(alphabet), min_size=min_size, max_size=300)


def _documents(key: st.SearchStrategy[str], text: st.SearchStrategy[str]) -> Any:
    scalar = st.one_of(text, st.integers(), st.floats(), st.booleans(), st.none(), st.dates())
    value = st.one_of(
        scalar,
        st.lists(scalar, max_size=3),
        st.lists(text, max_size=3).map(dump._FlowList),
        st.dictionaries(key, scalar, max_size=3),
    )
    return st.dictionaries(key, value, max_size=6)


needs_libyaml = pytest.mark.skipif(dump._LibYAMLDumper is None, reason="PyYAML without libyaml")


@needs_libyaml
@settings(max_examples=400, deadline=None)
@given(
    _documents(_text(_ALIKE_CHARS, min_size=1).filter(lambda k: "\n" not in k), _text(_ALIKE_CHARS))
)
def test_libyaml_writes_pyyamls_bytes_for_the_text_it_is_trusted_with(data: dict[str, Any]) -> None:
    assert dump._libyaml_writes_alike(data)
    assert _dumped(data, dump._LibYAMLDumper) == _pyyamls(data)


@settings(max_examples=400, deadline=None)
@given(_documents(_text(_ALIKE_CHARS + _PARTING), _text(_ALIKE_CHARS + _PARTING)))
def test_the_spec_dumper_writes_what_pyyaml_alone_writes(data: dict[str, Any]) -> None:
    """A spec.yaml does not depend on whether the machine that wrote it had libyaml."""
    assert dump.dump_data(data) == _pyyamls(data)


@pytest.mark.parametrize("char", _PARTING)
def test_a_character_libyaml_writes_otherwise_sends_the_file_to_pyyaml(char: str) -> None:
    assert dump._libyaml_writes_alike({"key": ["text", {"a": "b"}]})
    assert not dump._libyaml_writes_alike({"key": ["text", {"a": f"b{char}"}]})
    assert not dump._libyaml_writes_alike({"key": [{f"a{char}": "b"}]})


@pytest.mark.parametrize("key", ["", "two\nlines"])
def test_an_empty_or_multiline_key_sends_the_file_to_pyyaml(key: str) -> None:
    assert not dump._libyaml_writes_alike({"models": {key: {}}})
    assert dump._libyaml_writes_alike({"models": {"Name": "two\nlines"}})


_CORPUS = sorted(p for p in (ROOT / "tests/corpus").iterdir() if (p / "openapi.yaml").is_file())


@needs_libyaml
@pytest.mark.parametrize(
    "folder", [ROOT / "spec/openai-assistants", *_CORPUS], ids=lambda p: p.name
)
def test_real_specs_are_written_by_libyaml_as_pyyaml_writes_them(
    folder: Path, tmp_path: Path
) -> None:
    """The flagship's spec and every corpus document's (the whole OpenAI spec's: in
    tests/test_full_spec.py) take the fast path, and it writes PyYAML's bytes."""
    from sdkgen.spec import load_spec

    from .corpus import import_document

    spec = (
        load_spec(folder / "spec.yaml")
        if (folder / "spec.yaml").is_file()
        else import_document(folder, tmp_path)
    )
    data = dump.spec_to_data(spec)
    assert dump._libyaml_writes_alike(data)
    assert _dumped(data, dump._LibYAMLDumper) == _pyyamls(data)
