"""Statistics of a test's runs, checked against scipy and hand-computed oracles."""

from __future__ import annotations

import itertools
import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

from atp_core.protocol import Metrics, PassPolicy, RunRecord
from atp_core.runner._stats import (
    aggregate,
    decide,
    mean_std_ci,
    pass_at_k,
    pass_hat_k,
    policy_verdict,
    wilson_interval,
)

TOL = 1e-9


def record(n: int, verdict: str = "passed", score: float = 1.0, **fields: object) -> RunRecord:
    """A finished run record with the given verdict and score."""
    return RunRecord(
        test_id="t",
        run_number=n,
        agent="a",
        status="completed",
        verdict=verdict,
        score=score,
        started_at="2025-01-01T00:00:00+00:00",
        duration_seconds=fields.pop("duration", 1.0),
        **fields,
    )  # type: ignore[arg-type]


pass_vectors = st.lists(st.booleans(), min_size=1, max_size=9)


@given(pass_vectors, st.data())
def test_pass_at_k_and_pass_hat_k_match_enumeration_of_k_subsets(
    vector: list[bool], data: st.DataObject
) -> None:
    """pass@k and pass^k equal the share of k-subsets with one / all runs passing."""
    n, c = len(vector), sum(vector)
    k = data.draw(st.integers(1, n))
    subsets = list(itertools.combinations(vector, k))
    assert pass_at_k(n, c, k) == pytest.approx(sum(any(s) for s in subsets) / len(subsets), abs=TOL)
    assert pass_hat_k(n, c, k) == pytest.approx(
        sum(all(s) for s in subsets) / len(subsets), abs=TOL
    )


def test_pass_at_k_rejects_k_larger_than_n() -> None:
    """k beyond the number of runs is a caller error, not a silent number."""
    with pytest.raises(ValueError, match="k <= n"):
        pass_at_k(3, 1, 4)


@given(st.integers(1, 200).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_wilson_interval_matches_the_closed_form(nc: tuple[int, int]) -> None:
    """The Wilson interval equals the textbook formula with z = Φ⁻¹(0.975)."""
    n, c = nc
    z = float(sps.norm.ppf(0.975))
    p = c / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low, high = wilson_interval(c, n)
    assert low == pytest.approx(max(0.0, centre - half), abs=TOL)
    assert high == pytest.approx(min(1.0, centre + half), abs=TOL)


scores = st.lists(st.floats(0, 1, allow_nan=False), min_size=2, max_size=30)


@given(scores)
def test_mean_std_and_t_interval_match_scipy(values: list[float]) -> None:
    """Mean, sample std and the Student t 95% interval agree with statistics and scipy."""
    mean, std, (low, high) = mean_std_ci(values)
    assert mean == pytest.approx(statistics.fmean(values), abs=TOL)
    assert std == pytest.approx(statistics.stdev(values), abs=TOL)
    if std > 0:
        ref = sps.t.interval(0.95, len(values) - 1, loc=mean, scale=sps.sem(values))
        assert low == pytest.approx(ref[0], abs=TOL)
        assert high == pytest.approx(ref[1], abs=TOL)
    else:
        assert (low, high) == (mean, mean)


@given(scores)
def test_score_interval_of_a_test_is_the_t_interval_truncated_to_0_1(values: list[float]) -> None:
    """A test's score CI is scipy's t interval clipped to the score range [0, 1]."""
    from atp_core.protocol import RunRecord
    from atp_core.runner._stats import aggregate

    runs = [RunRecord(test_id="t", run_number=i + 1, agent="a", status="completed",
                      verdict="passed", score=v, started_at="x", duration_seconds=0.0)
            for i, v in enumerate(values)]
    low, high = aggregate(runs, len(runs)).score_ci
    _, _, (t_low, t_high) = mean_std_ci(values)
    assert 0.0 <= low <= high <= 1.0
    assert low == pytest.approx(max(0.0, t_low), abs=TOL)
    assert high == pytest.approx(min(1.0, t_high), abs=TOL)


def test_single_run_has_zero_std_and_a_point_interval() -> None:
    """One run: std 0 and the interval collapses onto the mean."""
    assert mean_std_ci([0.25]) == (0.25, 0.0, (0.25, 0.25))


@given(
    st.lists(
        st.tuples(st.sampled_from(["passed", "failed", "error"]), st.floats(0, 1, allow_nan=False)),
        min_size=1,
        max_size=12,
    ),
    st.integers(1, 15),
)
def test_aggregate_counts_and_moments(runs: list[tuple[str, float]], k: int) -> None:
    """aggregate() counts passes, caps k at n, and flags flakiness on mixed outcomes."""
    records = [record(i + 1, v, s) for i, (v, s) in enumerate(runs)]
    out = aggregate(records, k)
    n, c = len(runs), sum(v == "passed" for v, _ in runs)
    assert (out.n, out.passed, out.k) == (n, c, min(k, n))
    assert out.pass_rate == pytest.approx(c / n, abs=TOL)
    assert out.pass_at_k == pytest.approx(pass_at_k(n, c, min(k, n)), abs=TOL)
    assert out.errors == sum(v == "error" for v, _ in runs)
    assert out.flaky == (0 < c < n)
    assert out.min_score == min(s for _, s in runs)
    assert out.max_score == max(s for _, s in runs)


def test_aggregate_means_tokens_and_sums_cost_over_measured_runs() -> None:
    """Tokens are averaged and cost summed over runs that report them; none → None."""
    records = [
        record(1, duration=2.0, metrics=Metrics(total_tokens=100, cost_usd=0.5)),
        record(2, duration=4.0, metrics=Metrics(input_tokens=20, output_tokens=10)),
        record(3, duration=3.0),
    ]
    out = aggregate(records, 3)
    assert out.mean_duration == pytest.approx(3.0)
    assert out.mean_tokens == pytest.approx(65.0)
    assert out.total_cost == pytest.approx(0.5)
    bare = aggregate([record(1)], 1)
    assert (bare.mean_tokens, bare.total_cost) == (None, None)


ALL, ANY, MAJ = PassPolicy(kind="all"), PassPolicy(kind="any"), PassPolicy(kind="majority")
RATE = PassPolicy(kind="rate", rate=0.8)


@pytest.mark.parametrize(
    ("policy", "passed", "failed", "total", "expected"),
    [
        (ALL, 5, 0, 5, "passed"),
        (ALL, 4, 1, 5, "failed"),
        (ALL, 4, 0, 5, "error"),  # one error run: it alone decides
        (ANY, 1, 4, 5, "passed"),
        (ANY, 0, 5, 5, "failed"),
        (ANY, 0, 4, 5, "error"),
        (ANY, 1, 0, 5, "passed"),  # decided despite four unknown runs
        (MAJ, 3, 2, 5, "passed"),
        (MAJ, 2, 2, 4, "failed"),  # half is not a majority
        (MAJ, 2, 1, 5, "error"),
        (MAJ, 2, 3, 5, "failed"),
        (RATE, 4, 1, 5, "passed"),  # 0.8 >= 0.8
        (RATE, 3, 2, 5, "failed"),
        (RATE, 3, 1, 5, "error"),
        (RATE, 8, 0, 10, "passed"),
    ],
)
def test_pass_policy_table(
    policy: PassPolicy, passed: int, failed: int, total: int, expected: str
) -> None:
    """Each policy decides from passes, failures and unknown (error or unfinished) runs."""
    assert policy_verdict(policy, passed, failed, total) == expected


def test_decide_explains_in_plain_words() -> None:
    """The reason names the count, the errors and what the policy requires."""
    runs = [record(1), record(2, "failed"), record(3, "error")]
    verdict, reason = decide(ALL, runs, 3)
    assert verdict == "failed"
    assert reason == ("1/3 runs passed; 1 ended in error; policy all requires every run to pass")


def test_decide_notes_unfinished_runs_and_missing_verdict() -> None:
    """An interrupted test whose remaining runs would decide it has verdict error."""
    verdict, reason = decide(ALL, [record(1), record(2)], 5)
    assert verdict == "error"
    assert "only 2 of 5 runs finished" in reason
    assert "no verdict" in reason
