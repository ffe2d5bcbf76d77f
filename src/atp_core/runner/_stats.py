"""Statistics of a test's runs and the test verdict under its pass policy (SPEC §3).

scipy is imported inside the functions that need it, never at module import. The Wilson
interval is closed-form (z from the standard library's normal quantile): calling scipy's
``binomtest`` for it cost about 2 ms per test, more than a whole run of a fast agent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

from atp_core.protocol import PassPolicy, RunRecord, TestStats, Verdict
from atp_core.runner._measure import cost_of, tokens_of

CONFIDENCE = 0.95
_Z = NormalDist().inv_cdf((1 + CONFIDENCE) / 2)


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of ``k`` runs drawn without replacement passed."""
    _check_nck(n, c, k)
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def pass_hat_k(n: int, c: int, k: int) -> float:
    """Probability that all ``k`` runs drawn without replacement passed (pass^k)."""
    _check_nck(n, c, k)
    return math.comb(c, k) / math.comb(n, k)


def _check_nck(n: int, c: int, k: int) -> None:
    if not (0 <= c <= n and 1 <= k <= n):
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n, got n={n} c={c} k={k}")


def wilson_interval(passed: int, n: int) -> tuple[float, float]:
    """The 95% Wilson score interval of a pass rate (Newcombe's form, as scipy computes it)."""
    if not 0 <= passed <= n or n < 1:
        raise ValueError(f"need 0 <= passed <= n and n >= 1, got passed={passed} n={n}")
    p = passed / n
    denom = 2 * (n + _Z**2)
    centre = (2 * n * p + _Z**2) / denom
    delta = _Z / denom * math.sqrt(4 * n * p * (1 - p) + _Z**2)
    low = 0.0 if passed == 0 else centre - delta
    high = 1.0 if passed == n else centre + delta
    return (low, high)


def mean_std_ci(values: Sequence[float]) -> tuple[float, float, tuple[float, float]]:
    """Mean, sample standard deviation (ddof=1) and the 95% Student t interval of the mean.

    With one value, or no spread, the standard deviation is 0 and the interval is the mean.
    """
    n = len(values)
    mean = math.fsum(values) / n
    if n == 1:
        return mean, 0.0, (mean, mean)
    std = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    if std == 0.0:
        return mean, 0.0, (mean, mean)
    from scipy import stats

    half = float(stats.t.ppf((1 + CONFIDENCE) / 2, n - 1)) * std / math.sqrt(n)
    return mean, std, (mean - half, mean + half)


def aggregate(runs: Sequence[RunRecord], k: int) -> TestStats:
    """Aggregate finished runs; ``k`` is capped at the number of runs."""
    n = len(runs)
    if n == 0:
        raise ValueError("statistics need at least one run")
    passed = sum(r.verdict == "passed" for r in runs)
    k_eff = max(1, min(k, n))
    mean, std, (low, high) = mean_std_ci([r.score for r in runs])
    # Scores live in [0, 1]; the t interval is truncated to that range, never beyond it.
    ci = (max(0.0, low), min(1.0, high))
    tokens = [t for t in (tokens_of(r.metrics, r.events) for r in runs) if t is not None]
    costs = [c for c in (cost_of(r.metrics) for r in runs) if c is not None]
    return TestStats(
        n=n,
        passed=passed,
        pass_rate=passed / n,
        pass_rate_ci=wilson_interval(passed, n),
        k=k_eff,
        pass_at_k=pass_at_k(n, passed, k_eff),
        pass_hat_k=pass_hat_k(n, passed, k_eff),
        mean_score=mean,
        std_score=std,
        score_ci=ci,
        min_score=min(r.score for r in runs),
        max_score=max(r.score for r in runs),
        mean_duration=math.fsum(r.duration_seconds for r in runs) / n,
        mean_tokens=math.fsum(tokens) / len(tokens) if tokens else None,
        total_cost=math.fsum(costs) if costs else None,
        flaky=0 < passed < n,
        errors=sum(r.verdict == "error" for r in runs),
    )


def policy_met(policy: PassPolicy, passed: int, total: int) -> bool:
    """Whether ``passed`` of ``total`` runs satisfy ``policy``."""
    if policy.kind == "all":
        return passed == total
    if policy.kind == "any":
        return passed >= 1
    if policy.kind == "majority":
        return 2 * passed > total
    rate = 1.0 if policy.rate is None else policy.rate
    return passed / total >= rate


def policy_verdict(policy: PassPolicy, passed: int, failed: int, total: int) -> Verdict:
    """The verdict when ``passed`` runs passed, ``failed`` failed and the rest are unknown.

    Unknown runs (verdict ``error``, or not run) are tried both ways: if the policy holds
    even when they all fail the test passed; if it fails even when they all pass the test
    failed; otherwise nothing decides it and the verdict is ``error``.
    """
    unknown = total - passed - failed
    if policy_met(policy, passed, total):
        return "passed"
    if not policy_met(policy, passed + unknown, total):
        return "failed"
    return "error"


def decide(policy: PassPolicy, runs: Sequence[RunRecord], planned: int) -> tuple[Verdict, str]:
    """The test verdict and a plain-words reason, from finished runs of ``planned``."""
    passed = sum(r.verdict == "passed" for r in runs)
    failed = sum(r.verdict == "failed" for r in runs)
    errors = sum(r.verdict == "error" for r in runs)
    verdict = policy_verdict(policy, passed, failed, planned)
    parts = [f"{passed}/{planned} runs passed"]
    if errors:
        parts.append(f"{errors} ended in error")
    if len(runs) < planned:
        parts.append(f"only {len(runs)} of {planned} runs finished")
    reason = "; ".join(parts) + f"; {_policy_words(policy)}"
    if verdict == "error":
        reason += "; the unknown runs decide it, so there is no verdict"
    return verdict, reason


def _policy_words(policy: PassPolicy) -> str:
    if policy.kind == "all":
        return "policy all requires every run to pass"
    if policy.kind == "any":
        return "policy any requires one passing run"
    if policy.kind == "majority":
        return "policy majority requires more than half of the runs to pass"
    return f"policy rate requires a pass rate of at least {policy.rate}"
