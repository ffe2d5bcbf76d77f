"""``${VAR}`` substitution in string scalars of a suite file.

- ``${VAR}``: the variable's value; an error if it is not set.
- ``${VAR:default}``: ``default`` when ``VAR`` is not set (as the original format did).
- ``${VAR:-default}``: ``default`` when ``VAR`` is not set or empty (as a shell does).
- ``$${`` writes a literal ``${``.

Substituted values are never substituted again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from atp_core.suite._problems import Problems
from atp_core.suite._yaml import Path

_TOKEN = re.compile(r"\$\$\{|\$\{(?P<body>[^}]*)(?P<end>\}?)")
_REF = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<sep>:-?)(?P<default>.*))?", re.DOTALL)


class SubstitutionError(ValueError):
    """A string refers to variables that are not set, or is not a valid reference."""


def substitute(text: str, env: Mapping[str, str]) -> str:
    """Replace every ``${...}`` reference in ``text`` from ``env``.

    Raises:
        SubstitutionError: naming every missing variable and malformed reference.
    """
    missing: list[str] = []
    malformed: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group("body") is None:
            return "${"
        if not match.group("end"):
            malformed.append("unterminated '${'")
            return ""
        ref = _REF.fullmatch(match.group("body"))
        if ref is None:
            malformed.append(f"invalid variable reference {match.group(0)!r}")
            return ""
        return _value(ref, env, missing)

    result = _TOKEN.sub(replace, text)
    if malformed or missing:
        raise SubstitutionError("; ".join([*malformed, *_missing_message(missing)]))
    return result


def _value(ref: re.Match[str], env: Mapping[str, str], missing: list[str]) -> str:
    name, sep, default = ref.group("name", "sep", "default")
    value = env.get(name)
    if sep == ":-" and value == "":
        value = None
    if value is not None:
        return value
    if sep is not None:
        return str(default)
    missing.append(name)
    return ""


def _missing_message(missing: list[str]) -> list[str]:
    if not missing:
        return []
    names = ", ".join(repr(n) for n in dict.fromkeys(missing))
    verb = "is" if len(missing) == 1 else "are"
    return [f"environment variable {names} {verb} not set and has no default"]


def substitute_tree(data: Any, env: Mapping[str, str], problems: Problems) -> Any:
    """Substitute in every string value of ``data``; keys are left alone.

    An unquoted scalar that held a reference is read again as a YAML scalar, so
    ``runs_per_test: ${RUNS:3}`` gives the number 3; quote it to keep a string.
    """
    return _walk(data, (), env, problems)


def _walk(data: Any, path: Path, env: Mapping[str, str], problems: Problems) -> Any:
    if isinstance(data, dict):
        return {k: _walk(v, (*path, str(k)), env, problems) for k, v in data.items()}
    if isinstance(data, list):
        return [_walk(v, (*path, i), env, problems) for i, v in enumerate(data)]
    if not isinstance(data, str) or "${" not in data:
        return data
    try:
        text = substitute(data, env)
    except SubstitutionError as exc:
        problems.at(path, str(exc))
        return data
    return _resolve(text) if path in problems.doc.plain else text


def _resolve(text: str) -> Any:
    try:
        value = YAML(typ="safe", pure=True).load(text)
    except YAMLError:
        return text
    if isinstance(value, bool | int | float):
        return value
    return text
