"""Where a dotted setting path leads in ``AtpConfig``, and collecting located values."""

from __future__ import annotations

import difflib
import typing
from typing import Any

import attrs

from atp_core.config._coerce import Invalid, coerce, kind
from atp_core.config._model import AtpConfig
from atp_core.config._secret import Secret

Path = tuple[str, ...]


@attrs.frozen(kw_only=True)
class Target:
    """What a path names: a ``section`` (attrs class), a ``mapping`` field or a ``leaf``."""

    kind: typing.Literal["section", "mapping", "leaf"]
    tp: Any
    attribute: attrs.Attribute[Any] | None = None


class Unknown(LookupError):
    """A path names no setting; ``suggestion`` is the closest valid path, if any."""

    def __init__(self, message: str, suggestion: Path | None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


def dotted(path: Path) -> str:
    """``("runner", "parallel")`` → ``runner.parallel``."""
    return ".".join(path)


def resolve(path: Path) -> Target:
    """The target of ``path``; ``Unknown`` if it names nothing."""
    target = Target(kind="section", tp=AtpConfig)
    for index, part in enumerate(path):
        if target.kind == "leaf":
            raise Unknown(f"{dotted(path[:index])} is a single value, not a section", None)
        if target.kind == "mapping":
            value_type = typing.get_args(target.tp)[1]
            target = Target(kind="leaf", tp=value_type)
            continue
        fields = {f.name: f for f in attrs.fields(target.tp)}
        if part not in fields:
            where = f" in {dotted(path[:index])}" if index else ""
            close = difflib.get_close_matches(part, list(fields), n=1)
            guess = (*path[:index], close[0], *path[index + 1:]) if close else None
            hint = f"; did you mean {dotted(guess)!r}?" if guess else ""
            raise Unknown(f"unknown setting {part!r}{where}{hint}", guess)
        tp = typing.get_type_hints(target.tp)[part]
        if attrs.has(tp):
            target = Target(kind="section", tp=tp, attribute=fields[part])
        elif typing.get_origin(tp) is dict:
            target = Target(kind="mapping", tp=tp, attribute=fields[part])
        else:
            target = Target(kind="leaf", tp=tp, attribute=fields[part])
    return target


def involves_secret(tp: Any) -> bool:
    """Whether values of ``tp`` are secrets."""
    return tp is Secret or Secret in typing.get_args(tp)


@attrs.define
class Collector:
    """Every value set by the layers so far (later wins), and every problem found."""

    values: dict[Path, tuple[Any, str]] = attrs.Factory(dict)
    problems: list[str] = attrs.Factory(list)
    secrets: list[str] = attrs.Factory(list)

    def problem(self, where: str, message: str) -> None:
        """Record a problem found at ``where`` (``file:line:col`` or a variable name)."""
        self.problems.append(f"{where}: {message}")

    def target(self, path: Path, where: str) -> Target | None:
        """``resolve(path)``, recording a problem instead of raising."""
        try:
            return resolve(path)
        except Unknown as exc:
            self.problem(where, str(exc))
            return None

    def set(self, path: Path, value: Any, where: str, *, text: bool) -> None:
        """Check ``value`` against the setting at ``path`` and record it."""
        target = self.target(path, where)
        if target is None:
            return
        if involves_secret(target.tp) and isinstance(value, str):
            self.secrets.append(value)
        if target.kind == "section":
            self.problem(where, f"{dotted(path)} is a section; set its fields "
                                f"(e.g. {dotted((*path, _first_field(target.tp)))})")
            return
        try:
            checked = coerce(value, target.tp, text=text)
            if target.kind == "leaf" and target.attribute is not None:
                _validate(target.attribute, checked)
        except Invalid as exc:
            self.problem(where, f"{dotted(path)}: {exc}")
            return
        if target.kind == "mapping":
            for key, item in checked.items():
                self.values[(*path, key)] = (item, where)
        else:
            self.values[path] = (checked, where)

    def nested(self) -> dict[str, Any]:
        """The values as nested mappings, ready to be structured into ``AtpConfig``."""
        out: dict[str, Any] = {}
        for path, (value, _) in self.values.items():
            node = out
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = value
        return out


def _validate(attribute: attrs.Attribute[Any], value: Any) -> None:
    if attribute.validator is None:
        return
    try:
        attribute.validator(None, attribute, value)
    except ValueError as exc:
        raise Invalid(str(exc).removeprefix(f"{attribute.name} ")) from None


def _first_field(cls: type) -> str:
    name: str = attrs.fields(cls)[0].name
    return name


__all__ = ["Collector", "Path", "Target", "Unknown", "dotted", "kind", "resolve"]
