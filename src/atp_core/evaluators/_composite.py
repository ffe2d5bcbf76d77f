"""``composite``: and / or / not / threshold over nested assertions, three-valued.

A nested condition is ``{type, config, critical?, weight?}``; ``{operator, ...}`` without a
``type`` is shorthand for a nested composite (the original format's inline form). Nested
configs are validated when the suite loads. A condition that is skipped or whose evaluator
errs is unknown, and unknowns propagate by Kleene logic (see ``_kleene``).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import attrs
import cattrs

from atp_core.errors import ConfigError
from atp_core.evaluators._kleene import (
    Truth,
    comparator,
    k_and,
    k_not,
    k_or,
    k_score_threshold,
    k_threshold,
)
from atp_core.evaluators._outcome import Outcome, failed, passed, skipped
from atp_core.protocol import AssertionSpec, CheckResult, EvalContext, converter

Operator = Literal["and", "or", "not", "threshold"]
ComparatorName = Literal["gte", "gt", "lte", "lt", "eq", ">=", ">", "<=", "<", "=="]


def condition_spec(raw: dict[str, Any]) -> AssertionSpec:
    """The assertion a nested condition names; ``ConfigError`` if it is malformed."""
    if "type" not in raw and "operator" in raw:
        return AssertionSpec(type="composite", config=raw)
    if "type" not in raw:
        raise ConfigError("a condition needs a type (or an operator, for a nested composite)")
    try:
        return converter.structure(raw, AssertionSpec)
    except cattrs.BaseValidationError as exc:
        raise ConfigError("; ".join(cattrs.transform_error(exc))) from exc


def _validated(raw: dict[str, Any], where: str) -> AssertionSpec:
    from atp_core.evaluators._registry import validate_config

    try:
        spec = condition_spec(raw)
        validate_config(spec.type, spec.config)
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from exc
    return spec


@attrs.frozen(kw_only=True)
class CompositeConfig:
    """``composite``: the operator and its conditions."""

    operator: Operator
    conditions: list[dict[str, Any]] | None = None
    condition: dict[str, Any] | None = None
    value: float | None = None
    comparator: ComparatorName = "gte"

    def __attrs_post_init__(self) -> None:
        self._check_shape()
        for where, raw in self.named_conditions():
            _validated(raw, where)

    def _check_shape(self) -> None:
        op, many, one = self.operator, self.conditions, self.condition
        if many is not None and one is not None:
            raise ConfigError("give either conditions or condition, not both")
        if op in ("and", "or") and not many:
            raise ConfigError(f"{op} needs a non-empty conditions list")
        if op == "not" and one is None and (many is None or len(many) != 1):
            raise ConfigError("not needs one condition (condition, or conditions with one entry)")
        if op == "threshold":
            if self.value is None or not 0.0 <= self.value <= 1.0:
                raise ConfigError("threshold needs a value between 0 and 1")
            if one is None and not many:
                raise ConfigError("threshold needs conditions (share passed) or condition (score)")
        elif self.value is not None:
            raise ConfigError(f"value is only for threshold, not {op}")

    def named_conditions(self) -> list[tuple[str, dict[str, Any]]]:
        """Each nested condition with where it sits in the config."""
        if self.condition is not None:
            return [("condition", self.condition)]
        return [(f"conditions[{i}]", raw) for i, raw in enumerate(self.conditions or [])]


def truth(result: CheckResult) -> Truth:
    """Passed is true, failed is false, skipped and error are unknown."""
    return {"passed": True, "failed": False}.get(result.status)


def _line(where: str, result: CheckResult) -> str:
    return f"{where} ({result.name}) {result.status}: {result.message}"


class Composite:
    """Combines nested assertions with and / or / not / threshold."""

    config_type: ClassVar[type[Any]] = CompositeConfig

    def __init__(self, config: CompositeConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec
        self.conditions = [(w, condition_spec(raw)) for w, raw in config.named_conditions()]

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Evaluate every condition, then combine their outcomes."""
        results = [(where, await _run(spec, ctx)) for where, spec in self.conditions]
        outcome = self._combine(results)
        details = {
            "operator": self.config.operator,
            "conditions": [
                {
                    "where": w,
                    "type": r.name,
                    "status": r.status,
                    "score": r.score,
                    "message": r.message,
                }
                for w, r in results
            ],
        }
        return attrs.evolve(outcome, details=details).result(self.spec)

    def _combine(self, results: list[tuple[str, CheckResult]]) -> Outcome:
        cfg = self.config
        truths = [truth(r) for _, r in results]
        unknown = [_line(w, r) for w, r in results if truth(r) is None]
        share = sum(t is True for t in truths) / len(truths)
        if cfg.operator == "and":
            value, score = k_and(truths), share
            why = [_line(w, r) for w, r in results if truth(r) is False]
            claim = f"and: {sum(t is True for t in truths)}/{len(truths)} conditions passed"
        elif cfg.operator == "or":
            value = k_or(truths)
            score = 1.0 if value else 0.0
            why = [_line(w, r) for w, r in results if truth(r) is not None]
            claim = f"or: {sum(t is True for t in truths)}/{len(truths)} conditions passed"
        elif cfg.operator == "not":
            value = k_not(truths[0])
            score = 1.0 if value else 0.0
            why = [_line(w, r) for w, r in results]
            claim = "not: the condition " + ("failed" if value else "passed")
        else:
            value, score, claim = self._threshold(results)
            why = [_line(w, r) for w, r in results if truth(r) is not True]
        if value is None:
            return skipped(f"{claim}; undecided because of {'; '.join(unknown)}")
        if value:
            return passed(claim, score=score)
        return failed(f"{claim}: {'; '.join(why)}", score=score)

    def _threshold(self, results: list[tuple[str, CheckResult]]) -> tuple[Truth, float, str]:
        cfg = self.config
        assert cfg.value is not None
        _, symbol = comparator(cfg.comparator)
        if cfg.condition is not None:
            result = results[0][1]
            score = _score(result)
            value = k_score_threshold(score, cfg.value, cfg.comparator)
            shown = "unknown" if score is None else f"{score:.2f}"
            return value, score or 0.0, f"threshold: score {shown}, needs {symbol} {cfg.value}"
        truths = [truth(r) for _, r in results]
        share = sum(t is True for t in truths) / len(truths)
        value = k_threshold(truths, cfg.value, cfg.comparator)
        claim = (
            f"threshold: {sum(t is True for t in truths)}/{len(truths)} conditions passed "
            f"({share:.2f}), needs {symbol} {cfg.value}"
        )
        return value, share, claim


def _score(result: CheckResult) -> float | None:
    """A decided condition's score (1/0 when it gave none); ``None`` when unknown."""
    if truth(result) is None:
        return None
    if result.score is not None:
        return result.score
    return 1.0 if result.status == "passed" else 0.0


async def _run(spec: AssertionSpec, ctx: EvalContext) -> CheckResult:
    """Evaluate one condition; an evaluator that raises makes the condition ``error``."""
    from atp_core.evaluators._registry import build_evaluator

    try:
        return await build_evaluator(spec).evaluate(ctx)
    except Exception as exc:  # a crashing condition is unknown, not a crashed composite
        return CheckResult(
            name=spec.type,
            status="error",
            message=f"evaluator raised {type(exc).__name__}: {exc}",
            critical=spec.critical,
            weight=spec.weight,
        )
