"""A run's score components, its score and its verdict (SPEC §3).

- quality: weighted mean of assertion scores (a check without a score counts 1 if passed,
  else 0; ``error`` counts 0; ``skipped`` is left out).
- completeness: share of assertions passed and expected artifacts present, counted together
  (``skipped`` counts as not passed).
- efficiency: ``1 - steps / (2 * max_steps)`` clipped to 0..1, so no steps score 1, using the
  whole allowance scores 0.5 and twice the allowance scores 0.
- cost: the same curve for ``cost_usd`` against ``budget_usd``, else tokens against
  ``max_tokens``.

A component that cannot be measured is ``None`` and its weight is spread over the measured ones
in proportion to their weights; with nothing measured the score is 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from atp_core.protocol import CheckResult, Constraints, ScoreComponents, Scoring, Verdict

ASSERTION = "assertion"
ARTIFACT = "artifact"
# Kinds whose failure never a good enough score can excuse.
STRICT_KINDS = frozenset({"constraint", "agent", "run"})


def kind_of(check: CheckResult) -> str:
    """The kind the runner gave a check (assertion, artifact, constraint, agent, run)."""
    kind = check.details.get("kind", ASSERTION)
    return kind if isinstance(kind, str) else ASSERTION


def quality(assertions: Sequence[CheckResult]) -> float | None:
    """Weighted mean of assertion scores, skipped ones left out."""
    counted = [c for c in assertions if c.status != "skipped"]
    total_weight = math.fsum(c.weight for c in counted)
    if not counted or total_weight <= 0:
        return None
    return math.fsum(c.weight * _check_score(c) for c in counted) / total_weight


def _check_score(check: CheckResult) -> float:
    if check.status == "error":
        return 0.0
    if check.score is not None:
        return min(1.0, max(0.0, check.score))
    return 1.0 if check.status == "passed" else 0.0


def completeness(items: Sequence[CheckResult]) -> float | None:
    """Share of assertion and expected-artifact checks that passed."""
    if not items:
        return None
    return sum(c.status == "passed" for c in items) / len(items)


def usage_score(used: float | None, limit: float | None) -> float | None:
    """``1 - used / (2 * limit)`` clipped to 0..1; ``None`` when either is unknown."""
    if used is None or limit is None:
        return None
    if limit <= 0:
        return 1.0 if used <= 0 else 0.0
    return min(1.0, max(0.0, 1.0 - used / (2.0 * limit)))


def components(
    checks: Sequence[CheckResult],
    constraints: Constraints,
    usage: tuple[int | None, int | None, float | None],
) -> ScoreComponents:
    """Score components from a run's checks and its (steps, tokens, cost) usage."""
    steps, tokens, cost = usage
    assertions = [c for c in checks if kind_of(c) == ASSERTION]
    items = [c for c in checks if kind_of(c) in (ASSERTION, ARTIFACT)]
    spend = usage_score(cost, constraints.budget_usd)
    if spend is None:
        spend = usage_score(tokens, constraints.max_tokens)
    return ScoreComponents(
        quality=quality(assertions),
        completeness=completeness(items),
        efficiency=usage_score(steps, constraints.max_steps),
        cost=spend,
    )


def weighted_score(parts: ScoreComponents, scoring: Scoring) -> float:
    """Weighted mean of the measured components; unmeasured weight is spread over the rest."""
    pairs = [
        (parts.quality, scoring.quality_weight),
        (parts.completeness, scoring.completeness_weight),
        (parts.efficiency, scoring.efficiency_weight),
        (parts.cost, scoring.cost_weight),
    ]
    measured = [(value, weight) for value, weight in pairs if value is not None]
    total_weight = math.fsum(weight for _, weight in measured)
    if total_weight <= 0:
        return 0.0
    return math.fsum(value * weight for value, weight in measured) / total_weight


def threshold_check(score: float, pass_threshold: float) -> CheckResult:
    """The ``pass_threshold`` check: the run's score against the test's minimum."""
    ok = score >= pass_threshold
    relation = "reaches" if ok else "is under"
    return CheckResult(
        name="pass_threshold",
        status="passed" if ok else "failed",
        message=f"score {score:.3f} {relation} the pass threshold {pass_threshold}",
        details={"kind": "run", "score": score, "threshold": pass_threshold},
    )


def run_verdict(checks: Sequence[CheckResult], pass_threshold: float | None) -> Verdict:
    """The run's verdict from all its checks (including ``pass_threshold``).

    ``error`` if any check errored; otherwise ``failed`` if any check was skipped, or a
    constraint, the agent status, the threshold or a critical assertion failed. Without a
    threshold every check must pass; with one, failed non-critical assertions and missing
    expected artifacts only lower the score.
    """
    if any(c.status == "error" for c in checks):
        return "error"
    if any(c.status == "skipped" for c in checks):
        return "failed"
    if any(c.status == "failed" and _blocks(c, pass_threshold) for c in checks):
        return "failed"
    return "passed"


def _blocks(check: CheckResult, pass_threshold: float | None) -> bool:
    return pass_threshold is None or check.critical or kind_of(check) in STRICT_KINDS
