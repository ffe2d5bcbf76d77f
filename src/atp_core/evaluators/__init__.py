"""Evaluators judge runs: one per assertion type, registered by name, imported lazily."""

from __future__ import annotations

from atp_core.evaluators._registry import (
    NOT_YET_AVAILABLE,
    assertion_types,
    build_evaluator,
    evaluator_class,
    validate_config,
)

__all__ = [
    "NOT_YET_AVAILABLE",
    "assertion_types",
    "build_evaluator",
    "evaluator_class",
    "validate_config",
]
