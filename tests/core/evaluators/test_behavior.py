"""behavior and its single-purpose forms, judged from streamed events."""

from __future__ import annotations

from typing import Any

import pytest

from atp_core.errors import ConfigError
from atp_core.evaluators import validate_config

pytestmark = pytest.mark.anyio


def calls(kit: Any) -> list[Any]:
    """A small trace: read, write (failed), read."""
    return [
        kit.tool(0, "read_file", input={"path": "a.txt"}, output="alpha"),
        kit.tool(
            1, "write_file", input={"path": "b.txt", "mode": "w"}, status="error", error="disk full"
        ),
        kit.tool(2, "read_file", input={"path": "c.txt"}, output={"lines": 3}),
    ]


async def test_must_use_tools_passes_and_fails_with_the_missing_tool(kit: Any) -> None:
    """must_use_tools names what was missing and what was used."""
    ctx = kit.ctx(events=calls(kit))
    ok = await kit.check("must_use_tools", {"tools": ["read_file", "write_file"]}, ctx)
    bad = await kit.check("must_use_tools", {"tools": ["read_file", "search"]}, ctx)
    assert (ok.status, ok.score) == ("passed", 1.0)
    assert (bad.status, bad.score) == ("failed", 0.5)
    assert "required tools not used: search (used: read_file, write_file)" in bad.message


async def test_forbidden_tools_names_the_forbidden_call(kit: Any) -> None:
    """forbidden_tools fails naming the offending call and its sequence."""
    ctx = kit.ctx(events=calls(kit))
    ok = await kit.check("forbidden_tools", {"tools": ["delete_file"]}, ctx)
    bad = await kit.check("forbidden_tools", {"tools": ["write_file"]}, ctx)
    assert ok.status == "passed"
    assert bad.status == "failed"
    assert "forbidden tools used: write_file@1" in bad.message


async def test_without_any_trace_checks_that_only_absence_passes_are_skipped(kit: Any) -> None:
    """No events and no tool_calls count: a forbidden/maximum check is undecided, never passed."""
    ctx = kit.ctx()
    assert (await kit.check("must_use_tools", {"tools": ["x"]}, ctx)).status == "failed"
    for type_name, config in [
        ("forbidden_tools", {"tools": ["x"]}),
        ("max_tool_calls", {"limit": 3}),
        ("behavior", {"forbidden_tool_calls": [{"tool": "x"}]}),
        ("behavior", {"expected_tool_calls": [], "tool_call_order": "strict"}),
    ]:
        result = await kit.check(type_name, config, ctx)
        assert result.status == "skipped", (type_name, config, result.message)
        assert "no events and reported no tool_calls count" in result.message


async def test_a_reported_zero_tool_calls_decides_the_absence_checks(kit: Any) -> None:
    """metrics.tool_calls = 0 without events is evidence: forbidden and maximum checks pass."""
    ctx = kit.ctx(tool_calls=0)
    assert (await kit.check("forbidden_tools", {"tools": ["x"]}, ctx)).status == "passed"
    assert (await kit.check("max_tool_calls", {"limit": 3}, ctx)).status == "passed"


async def test_call_level_checks_skip_when_calls_were_reported_but_not_streamed(kit: Any) -> None:
    """Reported tool calls without tool_call events make call-level checks undecidable."""
    ctx = kit.ctx(tool_calls=4)
    reason = "agent reported 4 tool calls but streamed no tool_call events"
    for type_name, config in [
        ("must_use_tools", {"tools": ["x"]}),
        ("forbidden_tools", {"tools": ["x"]}),
        ("behavior", {"expected_tool_calls": [{"tool": "x"}]}),
        ("behavior", {"forbidden_tool_calls": [{"tool": "x"}]}),
    ]:
        result = await kit.check(type_name, config, ctx)
        assert result.status == "skipped", type_name
        assert reason in result.message
        assert result.score is None


async def test_min_and_max_tool_calls_count_streamed_calls(kit: Any) -> None:
    """The limits compare with the number of tool_call events."""
    ctx = kit.ctx(events=calls(kit))
    assert (await kit.check("min_tool_calls", {"limit": 3}, ctx)).status == "passed"
    assert (await kit.check("max_tool_calls", {"limit": 3}, ctx)).status == "passed"
    too_few = await kit.check("min_tool_calls", {"limit": 6}, ctx)
    too_many = await kit.check("max_tool_calls", {"limit": 2}, ctx)
    assert (too_few.status, too_few.score) == ("failed", 0.5)
    assert "3 tool calls (streamed), at least 6 required" in too_few.message
    assert too_many.status == "failed"
    assert "at most 2 allowed" in too_many.message


async def test_tool_call_counts_use_the_reported_number_when_larger(kit: Any) -> None:
    """An agent reporting more calls than it streamed is counted by its report."""
    ctx = kit.ctx(tool_calls=9)
    result = await kit.check("max_tool_calls", {"limit": 5}, ctx)
    assert result.status == "failed"
    assert "9 tool calls (reported by the agent, 0 streamed)" in result.message


async def test_no_errors_fails_on_error_events_failed_calls_and_response_error(kit: Any) -> None:
    """Error events, failed tool calls and the response error all count."""
    ctx = kit.ctx(events=[*calls(kit), kit.error(3, "rate limited", "RateLimit")], error="gave up")
    result = await kit.check("no_errors", {}, ctx)
    assert result.status == "failed"
    assert "3 errors" in result.message
    assert "RateLimit: rate limited" in result.message
    assert "write_file@1 failed: disk full" in result.message
    assert "response error: gave up" in result.message


async def test_no_errors_passes_on_a_clean_run(kit: Any) -> None:
    """A run without errors passes no_errors."""
    ctx = kit.ctx(events=[kit.tool(0, "read_file")])
    assert (await kit.check("no_errors", {}, ctx)).status == "passed"


MATCH_A = {"tool": "read_file", "input_matches": [{"path": "$.path", "equals": "a.txt"}]}


async def test_expected_tool_calls_match_input_output_and_status(kit: Any) -> None:
    """Matchers check input, output and status of a call."""
    ctx = kit.ctx(events=calls(kit))
    config = {
        "expected_tool_calls": [
            {**MATCH_A, "output_matches": [{"path": "$", "equals": "alpha"}], "status": "success"},
            {
                "tool": "write_file",
                "status": "error",
                "input_matches": [{"path": "$.mode", "exists": True}],
            },
            {
                "tool": "read_file",
                "output_matches": [
                    {"path": "$.lines", "equals": 3.0},
                    {"path": "$.missing", "absent": True},
                ],
            },
        ]
    }
    result = await kit.check("behavior", config, ctx)
    assert result.status == "passed", result.message


async def test_expected_tool_call_failure_shows_the_matcher_and_actual_value(kit: Any) -> None:
    """A failing matcher is reported with its path, expectation and the actual value."""
    ctx = kit.ctx(events=calls(kit))
    config = {
        "expected_tool_calls": [
            {"tool": "write_file", "input_matches": [{"path": "$.path", "equals": "z.txt"}]}
        ]
    }
    result = await kit.check("behavior", config, ctx)
    assert result.status == "failed"
    assert "write_file@1: input $.path: expected 'z.txt', got 'b.txt'" in result.message


async def test_json_equality_does_not_confuse_booleans_with_numbers(kit: Any) -> None:
    """equals: true does not match the number 1."""
    ctx = kit.ctx(events=[kit.tool(0, "set", input={"flag": 1})])
    config = {
        "expected_tool_calls": [
            {"tool": "set", "input_matches": [{"path": "$.flag", "equals": True}]}
        ]
    }
    result = await kit.check("behavior", config, ctx)
    assert result.status == "failed"
    assert "expected True, got 1" in result.message


async def test_each_expected_entry_needs_its_own_call(kit: Any) -> None:
    """Two expected read_file entries are not satisfied by one call."""
    ctx = kit.ctx(events=[kit.tool(0, "read_file", input={"path": "a.txt"})])
    config = {"expected_tool_calls": [{"tool": "read_file"}, MATCH_A]}
    result = await kit.check("behavior", config, ctx)
    assert (result.status, result.score) == ("failed", 0.5)


ORDER_TRACE = ["read", "think", "write", "read"]


@pytest.mark.parametrize(
    ("order", "expected", "status"),
    [
        ("any", ["write", "read"], "passed"),
        ("superset", ["write", "read", "read"], "passed"),
        ("any", ["write", "write"], "failed"),
        ("expected", ["read", "write"], "passed"),
        ("expected", ["write", "read"], "passed"),
        ("expected", ["write", "think"], "failed"),
        ("strict", ["read", "think", "write", "read"], "passed"),
        ("strict", ["read", "think", "write"], "failed"),
        ("strict", ["read", "write", "think", "read"], "failed"),
        ("subset", ["read", "think", "write"], "passed"),
        ("subset", ["read", "write"], "failed"),
    ],
)
async def test_tool_call_order_semantics(
    kit: Any, order: str, expected: list[str], status: str
) -> None:
    """Each tool_call_order follows its documented definition."""
    ctx = kit.ctx(events=[kit.tool(i, name) for i, name in enumerate(ORDER_TRACE)])
    config = {"expected_tool_calls": [{"tool": t} for t in expected], "tool_call_order": order}
    result = await kit.check("behavior", config, ctx)
    assert result.status == status, result.message


async def test_order_failures_explain_what_broke(kit: Any) -> None:
    """Order failures name the entry and the offending call."""
    ctx = kit.ctx(events=[kit.tool(i, name) for i, name in enumerate(ORDER_TRACE)])
    strict = await kit.check(
        "behavior", {"expected_tool_calls": [{"tool": "read"}], "tool_call_order": "strict"}, ctx
    )
    subset = await kit.check(
        "behavior", {"expected_tool_calls": [{"tool": "read"}], "tool_call_order": "subset"}, ctx
    )
    assert (
        "expected exactly 1 tool calls, got 4 (extra: think@1, write@2, read@3)" in strict.message
    )
    assert "2 tool calls match no expected entry: think@1, write@2" in subset.message


async def test_forbidden_tool_calls_match_on_input(kit: Any) -> None:
    """Only calls whose input matches the rule are forbidden."""
    ctx = kit.ctx(events=calls(kit))
    rule = {"tool": "read_file", "input_matches": [{"path": "$.path", "equals": "c.txt"}]}
    bad = await kit.check("behavior", {"forbidden_tool_calls": [rule]}, ctx)
    other = {**rule, "input_matches": [{"path": "$.path", "equals": "/etc/passwd"}]}
    ok = await kit.check("behavior", {"forbidden_tool_calls": [other]}, ctx)
    assert bad.status == "failed"
    assert "read_file@2 (rule #1)" in bad.message
    assert ok.status == "passed"


async def test_behavior_combines_checks_and_reports_each(kit: Any) -> None:
    """A behavior block fails if any check fails and reports every check in details."""
    ctx = kit.ctx(events=calls(kit))
    config = {"must_use_tools": ["read_file"], "max_tool_calls": 2, "no_errors": True}
    result = await kit.check("behavior", config, ctx)
    assert result.status == "failed"
    assert result.message.startswith("max_tool_calls: 3 tool calls")
    assert "no_errors:" in result.message
    assert set(result.details["checks"]) == {"must_use_tools", "max_tool_calls", "no_errors"}
    assert result.score == pytest.approx((1.0 + 2 / 3 + 0.0) / 3)


async def test_behavior_with_an_undecidable_check_is_skipped_not_passed(kit: Any) -> None:
    """A passing count check and an undecidable call check make the block skipped."""
    ctx = kit.ctx(tool_calls=2)
    result = await kit.check("behavior", {"must_use_tools": ["a"], "max_tool_calls": 5}, ctx)
    assert result.status == "skipped"
    assert "must_use_tools: agent reported 2 tool calls" in result.message


@pytest.mark.parametrize(
    ("type_name", "config", "message"),
    [
        ("behavior", {}, "at least one check"),
        ("behavior", {"no_errors": False}, "at least one check"),
        ("behavior", {"tool_call_order": "strict"}, "needs expected_tool_calls"),
        ("behavior", {"expected_tool_calls": []}, "can never fail"),
        (
            "behavior",
            {"expected_tool_calls": [{"tool": "a", "input_matches": [{"path": "$.x"}]}]},
            "exactly one of equals, exists, absent",
        ),
        (
            "behavior",
            {
                "expected_tool_calls": [
                    {"tool": "a", "input_matches": [{"path": "$.x", "exists": True, "equals": 1}]}
                ]
            },
            "got equals, exists",
        ),
        (
            "behavior",
            {
                "expected_tool_calls": [
                    {"tool": "a", "input_matches": [{"path": "$[[", "exists": True}]}
                ]
            },
            "invalid JSONPath",
        ),
        (
            "behavior",
            {"tool_call_order": "random", "expected_tool_calls": [{"tool": "a"}]},
            "$.tool_call_order",
        ),
        ("behavior", {"must_use": ["a"]}, "extra fields found (must_use)"),
        ("must_use_tools", {"tools": []}, "at least one tool"),
        ("min_tool_calls", {"limit": 0}, "can never fail"),
        ("max_tool_calls", {"limit": -1}, "0 or more"),
        ("no_errors", {"strict": True}, "extra fields found (strict)"),
    ],
)
def test_bad_behavior_configs_are_load_time_errors(
    type_name: str, config: dict[str, Any], message: str
) -> None:
    """Malformed configs are rejected by validate_config with a clear message."""
    with pytest.raises(ConfigError) as info:
        validate_config(type_name, config)
    assert message in str(info.value)


def test_equals_null_is_a_real_expectation() -> None:
    """equals: null is accepted and distinct from a missing matcher."""
    config = validate_config(
        "behavior",
        {
            "expected_tool_calls": [
                {"tool": "a", "output_matches": [{"path": "$.x", "equals": None}]}
            ]
        },
    )
    assert config.expected_tool_calls[0].output_matches[0].equals is None
