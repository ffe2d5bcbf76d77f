"""Compare a suite run with a baseline suite run, test by test, corrected for many tests."""

from __future__ import annotations

import attrs

from atp_core.baseline._correction import METHOD_NAMES, Correction, adjust
from atp_core.baseline._stats import Sample, fisher, hedges_g, welch
from atp_core.baseline._types import Comparison, Direction, TestComparison
from atp_core.protocol import SuiteRunResult, TestResult

MIN_RUNS = 2


def _sample(test: TestResult | None) -> Sample:
    if test is None:
        return Sample(scores=(), passed=0)
    return Sample(
        scores=tuple(r.score for r in test.runs),
        passed=sum(r.verdict == "passed" for r in test.runs),
    )


def _insufficient(test_id: str, name: str, cur: Sample, base: Sample) -> TestComparison:
    if base.n == 0:
        why = "the test is not in the baseline" if cur.n else "the test has no runs"
    elif cur.n == 0:
        why = "the test has no runs in the current suite run"
    else:
        why = f"needs at least {MIN_RUNS} runs on each side (has {cur.n} now, {base.n} before)"
    return TestComparison(
        test_id=test_id, name=name, direction="insufficient_data", reason=why,
        current_n=cur.n, baseline_n=base.n, current_passed=cur.passed,
        baseline_passed=base.passed,
        current_mean=cur.mean if cur.n else None, baseline_mean=base.mean if base.n else None,
    )


def _measured(test_id: str, name: str, cur: Sample, base: Sample) -> TestComparison:
    score = welch(cur, base)
    return TestComparison(
        test_id=test_id, name=name, direction="no_change", reason="",
        current_n=cur.n, baseline_n=base.n, current_passed=cur.passed,
        baseline_passed=base.passed, current_mean=cur.mean, baseline_mean=base.mean,
        current_std=cur.std, baseline_std=base.std, t_statistic=score.t, score_p=score.p,
        pass_p=fisher(cur, base), effect_size=hedges_g(cur, base),
        deterministic=score.deterministic,
    )


def _fmt(p: float | None) -> str:
    return "n/a" if p is None else f"{p:.4g}"


def _decide(tc: TestComparison, alpha: float) -> TestComparison:
    assert tc.current_mean is not None
    assert tc.baseline_mean is not None
    worse_score = tc.current_mean < tc.baseline_mean
    rate_now, rate_before = tc.current_passed / tc.current_n, tc.baseline_passed / tc.baseline_n
    means = f"mean score {tc.current_mean:.3f} now vs {tc.baseline_mean:.3f} before"
    passes = f"{tc.current_passed}/{tc.current_n} passed now vs " \
        f"{tc.baseline_passed}/{tc.baseline_n} before"
    if tc.deterministic:
        direction: Direction = "regression" if worse_score else "improvement"
        reason = f"every run scored {tc.current_mean:.3f} now and {tc.baseline_mean:.3f} " \
            f"before: a deterministic difference (no variance, so no t-test); {passes}"
        return attrs.evolve(tc, direction=direction, reason=reason)
    score_sig = tc.score_p_adjusted is not None and tc.score_p_adjusted < alpha
    pass_sig = tc.pass_p_adjusted is not None and tc.pass_p_adjusted < alpha
    stats = f"Welch p={_fmt(tc.score_p)} (adjusted {_fmt(tc.score_p_adjusted)}), " \
        f"Fisher p={_fmt(tc.pass_p)} (adjusted {_fmt(tc.pass_p_adjusted)})"
    if not (score_sig or pass_sig):
        reason = f"no significant difference at alpha={alpha}: {means}; {passes}; {stats}"
        return attrs.evolve(tc, direction="no_change", reason=reason)
    worse = (score_sig and worse_score) or (pass_sig and rate_now < rate_before)
    word = "worse" if worse else "better"
    reason = f"significantly {word} at alpha={alpha}: {means}; {passes}; {stats}"
    return attrs.evolve(tc, direction="regression" if worse else "improvement", reason=reason)


def _corrected(tests: list[TestComparison], correction: Correction) -> list[TestComparison]:
    slots = [(i, f) for i, t in enumerate(tests) for f in ("score_p", "pass_p")
             if t.direction != "insufficient_data" and getattr(t, f) is not None]
    adjusted = adjust([getattr(tests[i], f) for i, f in slots], correction)
    out = list(tests)
    for (i, field), value in zip(slots, adjusted, strict=True):
        if field == "score_p":
            out[i] = attrs.evolve(out[i], score_p_adjusted=value)
        else:
            out[i] = attrs.evolve(out[i], pass_p_adjusted=value)
    return out


def compare(
    current: SuiteRunResult,
    baseline: SuiteRunResult,
    alpha: float = 0.05,
    correction: Correction = "holm",
) -> Comparison:
    """Compare ``current`` with ``baseline`` using the runs' own scores and verdicts.

    Per test: Welch's t-test on run scores and Fisher's exact test on pass counts, each
    two-sided; every p-value of the suite is corrected together (Holm or
    Benjamini-Hochberg). A test regresses when a corrected p-value is below ``alpha`` and
    that measure got worse, or when its scores are constant on both sides and lower now.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    before = {t.test_id: t for t in baseline.tests}
    now = {t.test_id: t for t in current.tests}
    ids = [t.test_id for t in current.tests] + [t for t in before if t not in now]
    rows = []
    for test_id in ids:
        cur, base = _sample(now.get(test_id)), _sample(before.get(test_id))
        name = (now.get(test_id) or before[test_id]).name
        if cur.n < MIN_RUNS or base.n < MIN_RUNS:
            rows.append(_insufficient(test_id, name, cur, base))
        else:
            rows.append(_measured(test_id, name, cur, base))
    rows = _corrected(rows, correction)
    decided = [t if t.direction == "insufficient_data" else _decide(t, alpha) for t in rows]
    return Comparison(
        suite=current.suite, current_id=current.id, baseline_id=baseline.id, alpha=alpha,
        correction=correction,
        method="Welch's t-test on run scores and Fisher's exact test on pass counts "
        f"(two-sided, scipy); p-values corrected by {METHOD_NAMES[correction]}",
        tests=tuple(decided),
    )
