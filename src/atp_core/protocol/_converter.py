"""The one cattrs converter, and lenient parsing of messages that come from agents.

Agents are forward compatible: unknown fields are dropped and counted as protocol
warnings. Everything else that does not fit the protocol is an ``AgentProtocolError``.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from cattrs.preconf.json import make_converter
from cattrs.strategies import configure_tagged_union

from atp_core.errors import AgentProtocolError, AtpError, ProtocolVersionError
from atp_core.protocol._version import check_version
from atp_core.protocol._wire import (
    EVENT_TYPES,
    Artifact,
    Event,
    FileArtifact,
    ReferenceArtifact,
    Request,
    Response,
    StructuredArtifact,
)

converter = make_converter(forbid_extra_keys=True)
_TAGS: dict[type, str] = {
    FileArtifact: "file", StructuredArtifact: "structured", ReferenceArtifact: "reference"
}
configure_tagged_union(Artifact, converter, tag_name="type", tag_generator=_TAGS.__getitem__)


# JSON has exact types; cattrs' defaults would quietly turn 3.7 into 3, True into 1, 5 into
# "5" and "abc" into ['a', 'b', 'c']. The wire must refuse those instead.
def _strict_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {type(value).__name__}")
    return value


_NON_FINITE = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


def _strict_float(value: Any, _: type) -> float:
    # JSON cannot hold NaN or infinities; our reports write them as these strings.
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {type(value).__name__}")
    return float(value)


def _strict_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    return value


def _strict_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {type(value).__name__}")
    return value


converter.register_structure_hook(int, _strict_int)
converter.register_structure_hook(float, _strict_float)
converter.register_structure_hook(str, _strict_str)
converter.register_structure_hook(bool, _strict_bool)


def _is_list(tp: Any) -> bool:
    return typing.get_origin(tp) is list


def _list_hook(tp: Any) -> Any:
    (inner,) = typing.get_args(tp) or (Any,)

    def structure_list(value: Any, _: type) -> list[Any]:
        if not isinstance(value, list | tuple):
            raise ValueError(f"expected a list, got {type(value).__name__}")
        return [converter.structure(v, inner) for v in value]

    return structure_list


converter.register_structure_hook_factory(_is_list, _list_hook)


def unstructure(obj: Any) -> Any:
    """Turn an attrs object into JSON-ready data."""
    return converter.unstructure(obj)


def structure[T](data: Any, cls: type[T]) -> T:
    """Build ``cls`` from JSON-ready data, strictly (unknown keys are errors)."""
    return converter.structure(data, cls)


def _attrs_class_of(tp: Any) -> list[type]:
    """The attrs classes a (possibly Optional/Union/list) annotation may hold."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return [c for a in typing.get_args(tp) for c in _attrs_class_of(a)]
    if isinstance(tp, type) and attrs.has(tp):
        return [tp]
    return []


_ARTIFACT_TAGS: dict[str, type] = {
    "file": FileArtifact, "structured": StructuredArtifact, "reference": ReferenceArtifact
}


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    # Resolving annotations costs ~70 µs a class; every agent message would pay it again.
    return typing.get_type_hints(cls)


Stripper = Callable[[Any, str, list[str]], Any]


@functools.cache
def _plan(cls: type) -> tuple[frozenset[str], dict[str, Stripper]]:
    """The keys ``cls`` knows, and a stripper for each field that may hold nested objects."""
    hints = _type_hints(cls)
    names = [a.name for a in attrs.fields(cls)]
    nested: dict[str, Stripper] = {}
    for name in names:  # in field order, so warnings come in a stable order
        stripper = _stripper(hints[name])
        if stripper is not None:
            nested[name] = stripper
    return frozenset(names), nested


def _stripper(tp: Any) -> Stripper | None:
    """How to strip a value of type ``tp``; ``None`` when it holds no attrs object."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) is list and args:
        inner = args[0]
        if inner == Artifact or inner is Artifact:
            return functools.partial(_strip_list, _strip_artifact)
        item = _stripper(inner)
        return None if item is None else functools.partial(_strip_list, item)
    classes = _attrs_class_of(tp)
    if len(classes) == 1:
        return functools.partial(strip_unknown, classes[0])
    return None


def strip_unknown(cls: type, data: Any, path: str, warnings: list[str]) -> Any:
    """Drop keys ``cls`` does not know, recursively, noting each as a warning.

    Returns ``data`` itself when there is nothing to drop (the common case: no copy).
    """
    if not isinstance(data, dict):
        return data
    known, nested = _plan(cls)
    out = data
    if not data.keys() <= known:
        for key in data:
            if key not in known:
                warnings.append(f"unknown field {path}.{key} ignored")
        out = {k: v for k, v in data.items() if k in known}
    for key, strip in nested.items():
        value = out.get(key)
        if value is None:
            continue
        cleaned = strip(value, f"{path}.{key}", warnings)
        if cleaned is not value:
            out = dict(out) if out is data else out
            out[key] = cleaned
    return out


def _strip_list(item: Stripper, value: Any, path: str, warnings: list[str]) -> Any:
    if not isinstance(value, list):
        return value
    cleaned = [item(v, f"{path}[{i}]", warnings) for i, v in enumerate(value)]
    return value if all(c is v for c, v in zip(cleaned, value, strict=True)) else cleaned


def _strip_artifact(value: Any, path: str, warnings: list[str]) -> Any:
    if isinstance(value, dict) and value.get("type") in _ARTIFACT_TAGS:
        return strip_unknown(_ARTIFACT_TAGS[value["type"]], value, path, warnings)
    return value


def format_exception(exc: BaseException, type_: type | None) -> str:
    """Keep validators' own words (they say what is wrong); cattrs' wording for the rest."""
    own_words = isinstance(exc, ValueError | AtpError) and not isinstance(
        exc, cattrs.BaseValidationError
    )
    if own_words and str(exc):
        return str(exc)
    return cattrs.v.format_exception(exc, type_)


def _describe(exc: Exception) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(exc, format_exception=format_exception))
    return str(exc)


def parse_message[T](data: Any, cls: type[T], what: str) -> tuple[T, list[str]]:
    """Leniently parse an agent message: unknown fields become warnings."""
    if not isinstance(data, dict):
        raise AgentProtocolError(f"{what} must be a JSON object, got {type(data).__name__}")
    try:
        check_version(data.get("version", "1.0"))
    except ProtocolVersionError as exc:
        raise AgentProtocolError(str(exc)) from exc
    warnings: list[str] = []
    cleaned = strip_unknown(cls, data, "$", warnings)
    try:
        return structure(cleaned, cls), warnings
    except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
        raise AgentProtocolError(f"invalid {what}: {_describe(exc)}") from exc


def parse_response(data: Any) -> tuple[Response, list[str]]:
    """Parse an agent's response; raise ``AgentProtocolError`` if it is not one."""
    return parse_message(data, Response, "response")


def parse_request(data: Any) -> Request:
    """Parse a request strictly (agents written with atp_core use this)."""
    request, _ = parse_message(data, Request, "request")
    return request


@attrs.define
class EventParser:
    """Parses the events of one run, filling in what agents may leave out."""

    task_id: str
    next_sequence: int = 0
    warnings: list[str] = attrs.Factory(list)

    def parse(self, data: Any) -> Event | None:
        """Return the event, or ``None`` after recording a warning if it is malformed."""
        if not isinstance(data, dict) or data.get("event_type") not in EVENT_TYPES:
            self.warnings.append(f"malformed event kept as warning: {str(data)[:500]}")
            return None
        filled = dict(data)
        filled.setdefault("task_id", self.task_id)
        filled.setdefault("timestamp", dt.datetime.now(dt.UTC).isoformat())
        filled.setdefault("sequence", self.next_sequence)
        if not isinstance(filled.get("payload", {}), dict):
            self.warnings.append(f"event payload is not an object: {str(data)[:500]}")
            return None
        try:
            event, extra = parse_message(filled, Event, "event")
        except AgentProtocolError as exc:
            self.warnings.append(f"malformed event kept as warning: {exc}")
            return None
        self.warnings.extend(extra)
        self.next_sequence = max(self.next_sequence, event.sequence) + 1
        return event
