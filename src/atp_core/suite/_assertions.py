"""Assertions: known types, not-yet-available types, and configs checked by the evaluator."""

from __future__ import annotations

from typing import Any

from atp_core.errors import ConfigError
from atp_core.evaluators import NOT_YET_AVAILABLE, assertion_types, evaluator_class, validate_config
from atp_core.protocol import AssertionSpec
from atp_core.suite._configs import ConfigCheck, check_config, load_failure
from atp_core.suite._fields import Reader, boolean, mapping, non_empty_text, number
from atp_core.suite._problems import did_you_mean
from atp_core.suite._yaml import Path

ASSERTION_KEYS = ("type", "config", "critical", "weight")
# ``composite`` nests whole assertions; the loader checks them so each error is located.
_NESTED = ("conditions", "condition")


def read_assertions(reader: Reader, data: Any, path: Path) -> tuple[AssertionSpec, ...]:
    """Every assertion of a test, each checked against its evaluator's config."""
    if data is None:
        return ()
    if not isinstance(data, list):
        reader.problems.at(path, "expected a list of assertions")
        return ()
    return tuple(read_assertion(reader, item, (*path, i)) for i, item in enumerate(data))


def read_assertion(reader: Reader, data: Any, path: Path) -> AssertionSpec:
    """One assertion ``{type, config, critical, weight}``."""
    block = reader.keys(data, path, ASSERTION_KEYS)
    spec = AssertionSpec(
        type=reader.require(block, path, "type", non_empty_text, ""),
        config=reader.get(block, path, "config", mapping, {}),
        critical=reader.get(block, path, "critical", boolean, False),
        weight=reader.get(block, path, "weight", number(0), 1.0),
    )
    if spec.type:
        _check_type(reader, spec, path, (*path, "config"))
    return spec


def _check_type(reader: Reader, spec: AssertionSpec, path: Path, config_path: Path) -> None:
    type_path = (*path, "type")
    known = assertion_types()
    if spec.type in NOT_YET_AVAILABLE and spec.type not in known:
        reader.problems.at(type_path, f"assertion type {spec.type!r} is not available yet")
        return
    if spec.type not in known:
        hint = did_you_mean(spec.type, known)
        reader.problems.at(type_path, f"unknown assertion type {spec.type!r}{hint}")
        return
    try:
        cls = evaluator_class(spec.type)
    except (ImportError, AttributeError, ConfigError) as exc:
        reason = str(exc) if isinstance(exc, ConfigError) else load_failure(exc)
        reader.problems.at(type_path, f"assertion type {spec.type!r} cannot be loaded: {reason}")
        return
    nested = _check_nested(reader, spec.config, config_path) if spec.type == "composite" else ()
    check = ConfigCheck(
        what=f"assertion {spec.type!r}",
        path=config_path,
        config_type=getattr(cls, "config_type", None),
        validate=lambda: validate_config(spec.type, spec.config),
        skip_under=nested,
    )
    check_config(reader.problems, check, spec.config)


def _check_nested(reader: Reader, config: dict[str, Any], path: Path) -> tuple[str, ...]:
    conditions = config.get("conditions")
    if isinstance(conditions, list):
        for index, item in enumerate(conditions):
            _check_condition(reader, item, (*path, "conditions", index))
    condition = config.get("condition")
    if isinstance(condition, dict):
        _check_condition(reader, condition, (*path, "condition"))
    return _NESTED


def _check_condition(reader: Reader, data: Any, path: Path) -> None:
    # ``{operator, ...}`` without a type is the original format's inline nested composite.
    if isinstance(data, dict) and "type" not in data and "operator" in data:
        _check_type(reader, AssertionSpec(type="composite", config=data), path, path)
    else:
        read_assertion(reader, data, path)
