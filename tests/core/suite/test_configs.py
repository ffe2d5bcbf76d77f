"""Locating errors that a registry reports for an assertion's or adapter's config."""

from __future__ import annotations

from typing import Any

import attrs

from atp_core.errors import ConfigError
from atp_core.suite._configs import ConfigCheck, check_config
from atp_core.suite._problems import Problems
from atp_core.suite._yaml import parse_yaml

YAML = "config:\n  limit: 3\n  name: x\n"


def problems_for(validate: Any, config_type: Any = None) -> list[tuple[int, int, str]]:
    """Run check_config on YAML's ``config`` block with the given validate callable."""
    doc = parse_yaml(YAML, "f.yaml")
    problems = Problems(doc=doc, file="f.yaml")
    check = ConfigCheck(
        what="assertion 'x'", path=("config",), config_type=config_type, validate=validate
    )
    check_config(problems, check, doc.data["config"])
    return [(p.line, p.column, p.message) for p in problems.items]


def test_missing_evaluator_module_is_a_located_problem() -> None:
    """A plugin module that cannot be imported is reported at the config, not raised."""

    def validate() -> None:
        raise ModuleNotFoundError("No module named 'atp_core.evaluators._nope'")

    assert problems_for(validate) == [
        (
            2,
            3,
            "assertion 'x' cannot be loaded: ModuleNotFoundError: "
            "No module named 'atp_core.evaluators._nope'",
        ),
    ]


def test_config_error_without_cattrs_detail_is_reported_at_the_config() -> None:
    """A plain ConfigError message is kept and placed at the config block."""

    def validate() -> None:
        raise ConfigError("an empty behavior block checks nothing")

    assert problems_for(validate) == [
        (2, 3, "an empty behavior block checks nothing (config of assertion 'x')"),
    ]


def test_strict_types_catch_what_cattrs_would_convert() -> None:
    """A string for an int field is an error even though int("x") style conversion exists."""

    @attrs.frozen(kw_only=True)
    class Cfg:
        limit: str
        name: int

    assert problems_for(lambda: None, Cfg) == [
        (2, 10, "expected a string, got an integer (config of assertion 'x')"),
        (3, 9, "expected an integer, got a string (config of assertion 'x')"),
    ]
