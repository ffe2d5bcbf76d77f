"""JSON Schema (draft 2020-12) generated from attrs classes.

One generator serves the protocol messages, the result types and the config file, so a
schema never drifts from the classes that parse the data. Nested attrs classes become
``$defs`` entries referenced with ``$ref``; a union of attrs classes that share a
single-valued ``Literal`` field (the artifacts' ``type``) becomes a ``oneOf`` keyed by it.

Per-field extras come from attrs field metadata: ``description`` (a string) and
``json_schema`` (a dict merged into the field's schema, e.g. ``{"minimum": 1}``). A class
may describe itself with a ``__json_schema__()`` classmethod (``Secret`` does).
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs

DRAFT = "https://json-schema.org/draft/2020-12/schema"

_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    type(None): {"type": "null"},
    None: {"type": "null"},
}
_JSON_TYPES: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


def json_schema(cls: type, *, strict: bool = True) -> dict[str, Any]:
    """The JSON Schema document describing instances of the attrs class ``cls``.

    Args:
        cls: an attrs class.
        strict: forbid keys the classes do not declare (``additionalProperties: false``).

    Returns:
        A draft 2020-12 schema whose root describes ``cls``; nested classes live in ``$defs``.
    """
    builder = _Builder(strict=strict)
    root = builder.object_schema(cls)
    document: dict[str, Any] = {"$schema": DRAFT, "title": cls.__name__, **root}
    if builder.defs:
        document["$defs"] = dict(sorted(builder.defs.items()))
    return document


def describe(cls: type) -> str | None:
    """The cleaned docstring of ``cls``, or ``None`` if it has none."""
    doc = cls.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if isinstance(doc, str) and doc.strip() else None


@attrs.define
class _Builder:
    strict: bool
    defs: dict[str, dict[str, Any]] = attrs.Factory(dict)
    _building: set[type] = attrs.Factory(set)

    def object_schema(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            properties[field.name] = self.field_schema(field, hints[field.name])
            if field.default is attrs.NOTHING:
                required.append(field.name)
        schema: dict[str, Any] = {"type": "object"}
        description = describe(cls)
        if description:
            schema["description"] = description
        schema["properties"] = properties
        if required:
            schema["required"] = required
        if self.strict:
            schema["additionalProperties"] = False
        return schema

    def field_schema(self, field: attrs.Attribute[Any], tp: Any) -> dict[str, Any]:
        schema = dict(self.type_schema(tp))
        meta: Mapping[str, Any] = field.metadata
        if "description" in meta:
            schema["description"] = meta["description"]
        schema.update(meta.get("json_schema", {}))
        default = _default_of(field)
        if default is not attrs.NOTHING:
            schema["default"] = default
        return schema

    def type_schema(self, tp: Any) -> dict[str, Any]:
        if tp is Any:
            return {}
        if tp in _SCALARS:
            return dict(_SCALARS[tp])
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is typing.Literal:
            return _literal(args)
        if origin in (typing.Union, types.UnionType):
            return self.union(args)
        if origin in (list, tuple, set, frozenset) or tp in (list, tuple):
            return self.array(origin or tp, args)
        if origin is dict or tp is dict:
            return self.mapping(args)
        if isinstance(tp, type) and hasattr(tp, "__json_schema__"):
            custom: dict[str, Any] = tp.__json_schema__()
            return custom
        if isinstance(tp, type) and attrs.has(tp):
            return self.ref(tp)
        raise TypeError(f"no JSON Schema for type {tp!r}")

    def ref(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs and cls not in self._building:
            self._building.add(cls)
            self.defs[name] = self.object_schema(cls)
        return {"$ref": f"#/$defs/{name}"}

    def union(self, args: tuple[Any, ...]) -> dict[str, Any]:
        members = [a for a in args if a not in (None, type(None))]
        nullable = len(members) < len(args)
        tag = _tag_field(members)
        if tag is not None:
            branches: list[dict[str, Any]] = [
                {**self.ref(m), "required": [tag]} for m in members
            ]
            schema: dict[str, Any] = {"oneOf": branches}
        elif len(members) == 1:
            schema = self.type_schema(members[0])
        else:
            schema = {"anyOf": [self.type_schema(m) for m in members]}
        if not nullable:
            return schema
        return {"anyOf": [schema, {"type": "null"}]}

    def array(self, origin: Any, args: tuple[Any, ...]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array"}
        if origin is tuple and args and args[-1] is not Ellipsis:
            schema["prefixItems"] = [self.type_schema(a) for a in args]
            schema["minItems"] = schema["maxItems"] = len(args)
            return schema
        if args:
            schema["items"] = self.type_schema(args[0])
        if origin in (set, frozenset):
            schema["uniqueItems"] = True
        return schema

    def mapping(self, args: tuple[Any, ...]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object"}
        if args and args[1] is not Any:
            schema["additionalProperties"] = self.type_schema(args[1])
        return schema


def _literal(values: tuple[Any, ...]) -> dict[str, Any]:
    if len(values) == 1:
        schema: dict[str, Any] = {"const": values[0]}
    else:
        schema = {"enum": list(values)}
    kinds = {_JSON_TYPES.get(type(v)) for v in values}
    if len(kinds) == 1 and None not in kinds:
        schema["type"] = kinds.pop()
    return schema


def _tag_field(members: list[Any]) -> str | None:
    """The field name every member fixes to one distinct ``Literal`` value, if any."""
    if len(members) < 2 or not all(isinstance(m, type) and attrs.has(m) for m in members):
        return None
    hints = [typing.get_type_hints(m) for m in members]
    for name in hints[0]:
        values = []
        for member_hints in hints:
            tp = member_hints.get(name)
            args = typing.get_args(tp)
            if typing.get_origin(tp) is not typing.Literal or len(args) != 1:
                break
            values.append(args[0])
        else:
            if len(set(values)) == len(members):
                return name
    return None


def _default_of(field: attrs.Attribute[Any]) -> Any:
    """The field's default as JSON data, or ``attrs.NOTHING`` if it has none we can show."""
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return attrs.NOTHING
        default = default.factory()
    if default is attrs.NOTHING:
        return attrs.NOTHING
    return _jsonable(default)


def _jsonable(value: Any) -> Any:
    if attrs.has(type(value)):
        return {f.name: _jsonable(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"default {value!r} has no JSON form")
