"""Event handlers, as the templates need them: the classes a stream helper reads its
events with (`lib/streaming.py`), from the normalized spec's `event_handlers`.

A handler's rules go to the runtime's `SnapshotRule` as they are; this module adds the
Python names: the classes, the type variable a helper is generic in, and the types of the
hooks (the object a snapshot builds, the `delta` its delta event carries).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..spec.model import EventHandler, Model, Snapshot, Spec, Union_
from ..spec.types import TypeExpr
from .python_types import OUTPUT, Sides, output_name, py_type


@dataclass
class SnapshotView:
    rule: Snapshot
    model: str  # the Python class of the object it builds
    delta_type: str  # what on_<name>_delta is given as `delta` ("Any" when unknown)

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.rule.parts.split(".")) if self.rule.parts else ()

    @property
    def part_hooks(self) -> list[str]:
        return sorted(set(self.rule.part_hooks.values()))


@dataclass
class HandlerView:
    name: str  # AssistantEventHandler
    event_type: str  # AssistantStreamEvent
    snapshots: list[SnapshotView] = field(default_factory=list)
    text_deltas: tuple[str, ...] = ()

    @property
    def manager(self) -> str:
        return manager_name(self.name)

    def type_names(self) -> set[str]:
        names = {self.event_type} | {s.model for s in self.snapshots}
        return names | {s.delta_type for s in self.snapshots if s.delta_type != "Any"}


def manager_name(handler: str) -> str:
    """What a stream helper returns: AssistantEventHandler -> AssistantStreamManager (else
    <Name>StreamManager)."""
    return f"{handler.removesuffix('EventHandler') or handler}StreamManager"


def handler_views(spec: Spec, sides: Sides) -> list[HandlerView]:
    return [_handler(h, spec, sides) for h in spec.event_handlers]


def _handler(handler: EventHandler, spec: Spec, sides: Sides) -> HandlerView:
    view = HandlerView(handler.name, output_name(handler.event))
    if handler.text_deltas:
        view.text_deltas = tuple(handler.text_deltas.split("."))
    for snapshot in handler.snapshots:
        delta = _delta_type(spec, handler.event, snapshot.delta, sides) if snapshot.delta else ""
        view.snapshots.append(SnapshotView(snapshot, output_name(snapshot.model), delta or "Any"))
    return view


def _delta_type(spec: Spec, event: str, name: str, sides: Sides) -> str:
    """The type of `data.delta` in the union member of `event` tagged `name`, if it says."""
    definitions = spec.definitions()
    union = definitions.get(event)
    if not isinstance(union, Union_) or name not in union.mapping:
        return ""
    member = definitions.get(union.mapping[name])
    data = _field_type(member, "data")
    delta = _field_type(definitions.get(data.name) if data else None, "delta")
    return py_type(delta, OUTPUT, sides) if delta and delta.kind == "ref" else ""


def _field_type(model: object, name: str) -> TypeExpr | None:
    if not isinstance(model, Model):
        return None
    return next((f.type for f in model.fields if f.name == name and f.required), None)
