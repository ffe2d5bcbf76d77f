"""The layers of configuration, each read into a ``Collector`` with its locations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from atp_core.config._coerce import kind
from atp_core.config._model import SECTIONS
from atp_core.config._tree import Collector, Unknown, dotted, resolve

PREFIX = "ATP_"
RESERVED = frozenset({"ATP_ENV"})


def read_yaml(file: Path, into: Collector) -> None:
    """Add the settings of a YAML file, if it exists; problems carry ``file:line:col``."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    except (OSError, UnicodeDecodeError) as exc:
        into.problem(str(file), f"cannot read the file ({type(exc).__name__})")
        return
    try:
        data = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else str(file)
        # Only the parser's own words: its snippet of the file could hold a secret.
        into.problem(where, f"invalid YAML: {exc.problem or exc.context}")
        return
    except YAMLError as exc:
        into.problem(str(file), f"invalid YAML ({type(exc).__name__})")
        return
    if data is None:
        return
    if not isinstance(data, CommentedMap):
        into.problem(f"{file}:1:1", f"expected a mapping of sections, got {kind(_plain(data))}")
        return
    _walk(data, (), file, into)


def _walk(node: CommentedMap, prefix: tuple[str, ...], file: Path, into: Collector) -> None:
    for key, value in node.items():
        path = (*prefix, str(key))
        key_at = _at(file, node.lc.key(key))
        value_at = _at(file, node.lc.value(key))
        target = into.target(path, key_at)
        if target is None:
            continue
        if target.kind == "section" and isinstance(value, CommentedMap):
            _walk(value, path, file, into)
        elif target.kind == "section" and value is None:
            continue
        elif target.kind == "section":
            into.problem(value_at, f"{dotted(path)}: expected a mapping, got {kind(_plain(value))}")
        elif target.kind == "mapping" and isinstance(value, CommentedMap):
            for entry, item in value.items():
                where = _at(file, value.lc.value(entry))
                into.set((*path, str(entry)), _plain(item), where, text=False)
        else:
            into.set(path, _plain(value), value_at, text=False)


def _at(file: Path, mark: tuple[int, int]) -> str:
    return f"{file}:{mark[0] + 1}:{mark[1] + 1}"


def _plain(value: Any) -> Any:
    """ruamel's round-trip scalars and containers as plain Python values."""
    if isinstance(value, CommentedMap):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, CommentedSeq):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    for plain in (int, float, str):
        if isinstance(value, plain):
            return plain(value)
    return value


PLUGIN_PREFIX = "ATP_PLUGIN_"


def env_path(name: str) -> tuple[str, ...] | None:
    """The setting an ``ATP_*`` variable names, or ``None`` if it is not a setting.

    ``ATP_RUNNER__PARALLEL`` (``__`` nests) and the flat ``ATP_RUNNER_PARALLEL`` both name
    ``runner.parallel``; section names have no underscore, so the flat form is unambiguous.
    """
    upper = name.upper()
    if not upper.startswith(PREFIX) or upper in RESERVED:
        return None
    if upper.startswith(PLUGIN_PREFIX):  # a plugin's own settings (docs/plugins.md)
        return None
    rest = name[len(PREFIX):].lower()
    if "__" in rest:
        return tuple(rest.split("__"))
    section, _, field = rest.partition("_")
    if section in SECTIONS and field:
        return (section, field)
    if rest in SECTIONS:
        return (rest,)
    return None


def env_name(path: tuple[str, ...]) -> str:
    """The ``ATP_*`` variable for a setting path."""
    return PREFIX + "__".join(path).upper()


def read_env(env: Mapping[str, str], into: Collector, *, where: Any) -> None:
    """Add the settings named by ``ATP_*`` variables; ``where(name)`` locates one."""
    # The nested form is more specific, so it is applied after (and beats) the flat one.
    for name in sorted(env, key=lambda n: ("__" in n, n)):
        path = env_path(name)
        if path is None:
            continue
        location = where(name)
        try:
            resolve(path)
        except Unknown as exc:
            if exc.suggestion is None:
                into.problem(location, str(exc))
            else:
                into.problem(location, f"no such setting {dotted(path)}; "
                                       f"did you mean {env_name(exc.suggestion)}?")
            continue
        into.set(path, env[name], location, text=True)


def dotenv_lines(file: Path) -> dict[str, int]:
    """The line of each key in a ``.env`` file (the last one, as python-dotenv keeps it)."""
    lines: dict[str, int] = {}
    assignment = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=")
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        match = assignment.match(line)
        if match:
            lines[match.group(1)] = number
    return lines


def read_dotenv(file: Path) -> dict[str, str]:
    """The variables of a ``.env`` file (``{}`` if absent); ``os.environ`` is untouched."""
    from dotenv import dotenv_values

    if not file.is_file():
        return {}
    # No interpolation: it would read os.environ, and the caller's env mapping is the truth.
    values = dotenv_values(file, interpolate=False, encoding="utf-8")
    return {k: v if v is not None else "" for k, v in values.items()}


def read_overrides(overrides: Mapping[str, object], into: Collector) -> None:
    """Add settings given as dotted keys (``runner.parallel``), e.g. from CLI flags."""
    for key, value in overrides.items():
        path = tuple(key.split("."))
        into.set(path, value, f"setting {key!r}", text=isinstance(value, str))
