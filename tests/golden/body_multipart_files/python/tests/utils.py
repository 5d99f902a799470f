"""Checks the generated tests share. Copied verbatim into every generated SDK."""

from __future__ import annotations

import types
import typing
from typing import Any, get_args, get_origin


def assert_matches_type(expected: Any, value: object, *, path: str = "result") -> None:
    """Fail unless `value` is of the type `expected` names: a model class, a page of
    items (each checked), a list or map of such, a union or Literal, a plain type, None.
    """
    origin = get_origin(expected)
    args = get_args(expected)
    if expected is None or expected is type(None):
        assert value is None, f"{path}: expected None, got {value!r}"
    elif expected is Any or expected is object:
        return
    elif origin is typing.Annotated:
        if get_origin(args[0]) is typing.Literal and isinstance(value, str):
            return  # an open enum: a value the server added later passes too
        assert_matches_type(args[0], value, path=path)
    elif origin is typing.Union or origin is types.UnionType:
        failures = []
        for member in args:
            try:
                assert_matches_type(member, value, path=path)
                return
            except AssertionError as exc:
                failures.append(str(exc))
        raise AssertionError(
            f"{path}: no member of {expected} fits: {'; '.join(failures)}"
        )
    elif origin is typing.Literal:
        assert value in args, f"{path}: expected one of {args}, got {value!r}"
    elif origin in (list, tuple, set, frozenset):
        name = origin.__name__
        assert isinstance(value, origin), f"{path}: expected {name}, got {value!r}"
        for index, item in enumerate(value):
            assert_matches_type(args[0] if args else Any, item, path=f"{path}[{index}]")
    elif origin is dict:
        assert isinstance(value, dict), f"{path}: expected dict, got {value!r}"
        for key, item in value.items():
            assert_matches_type(args[1] if args else Any, item, path=f"{path}[{key!r}]")
    elif isinstance(origin, type):  # a page of items: SyncCursorPage[Item]
        name = origin.__name__
        assert isinstance(value, origin), f"{path}: expected {name}, got {value!r}"
        for index, item in enumerate(getattr(value, "data", [])):
            assert_matches_type(
                args[0] if args else Any, item, path=f"{path}.data[{index}]"
            )
    elif expected is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        assert ok, f"{path}: expected a number, got {value!r}"
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        assert ok, f"{path}: expected an integer, got {value!r}"
    elif isinstance(expected, type):
        name = expected.__name__
        assert isinstance(value, expected), f"{path}: expected {name}, got {value!r}"
    else:
        raise AssertionError(f"{path}: cannot check against {expected!r}")
