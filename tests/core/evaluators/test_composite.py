"""composite: nested assertions combined with three-valued logic."""

from __future__ import annotations

from typing import Any

import pytest

from atp_core.errors import ConfigError
from atp_core.evaluators import validate_config
from atp_core.protocol import FileArtifact

pytestmark = pytest.mark.anyio

PASS = {"type": "artifact_exists", "config": {"path": "a.txt"}}
FAIL = {"type": "artifact_exists", "config": {"path": "missing.txt"}}
SKIP = {"type": "must_use_tools", "config": {"tools": ["search"]}}
# An unresolvable $ref passes check_schema but makes validation raise: a real crashing leaf.
ERROR = {"type": "schema", "config": {"schema": {"$ref": "#/definitions/nowhere"}, "path": "a.txt"}}


def ctx_of(kit: Any) -> Any:
    """One artifact; two reported tool calls never streamed (so SKIP is undecidable)."""
    return kit.ctx(artifacts=[FileArtifact(path="a.txt", content="{}")], tool_calls=2)


async def run(kit: Any, config: dict[str, Any]) -> Any:
    """Evaluate a composite on the standard context."""
    return await kit.check("composite", config, ctx_of(kit))


async def test_leaves_behave_as_the_tests_assume(kit: Any) -> None:
    """The building blocks pass, fail, skip and raise as labelled."""
    ctx = ctx_of(kit)
    assert (await kit.check("artifact_exists", PASS["config"], ctx)).status == "passed"
    assert (await kit.check("artifact_exists", FAIL["config"], ctx)).status == "failed"
    assert (await kit.check("must_use_tools", SKIP["config"], ctx)).status == "skipped"
    with pytest.raises(Exception, match="PointerToNowhere"):
        await kit.check("schema", ERROR["config"], ctx)


@pytest.mark.parametrize(
    ("operator", "conditions", "status"),
    [
        ("and", [PASS, PASS], "passed"),
        ("and", [PASS, FAIL], "failed"),
        ("and", [SKIP, FAIL], "failed"),
        ("and", [PASS, SKIP], "skipped"),
        ("and", [PASS, ERROR], "skipped"),
        ("or", [FAIL, PASS], "passed"),
        ("or", [SKIP, PASS], "passed"),
        ("or", [FAIL, FAIL], "failed"),
        ("or", [FAIL, ERROR], "skipped"),
    ],
)
async def test_and_or_are_three_valued(
    kit: Any, operator: str, conditions: list[dict[str, Any]], status: str
) -> None:
    """A decisive known value wins; otherwise an unknown makes the result skipped."""
    result = await run(kit, {"operator": operator, "conditions": conditions})
    assert result.status == status, result.message
    assert result.name == "composite"


async def test_not_flips_and_keeps_unknown(kit: Any) -> None:
    """not turns pass into fail and fail into pass; unknown stays skipped."""
    assert (await run(kit, {"operator": "not", "condition": FAIL})).status == "passed"
    flipped = await run(kit, {"operator": "not", "conditions": [PASS]})
    assert flipped.status == "failed"
    assert "not: the condition passed" in flipped.message
    assert (await run(kit, {"operator": "not", "condition": SKIP})).status == "skipped"


async def test_threshold_over_conditions_compares_the_share_passed(kit: Any) -> None:
    """Two of three passing meets 0.6 but not 0.8; an unknown that could tip it skips."""
    decided = {"operator": "threshold", "value": 0.6, "conditions": [PASS, PASS, FAIL]}
    result = await run(kit, decided)
    assert (result.status, result.score) == ("passed", pytest.approx(2 / 3))
    low = await run(kit, {**decided, "value": 0.8})
    assert low.status == "failed"
    assert "2/3 conditions passed (0.67), needs >= 0.8" in low.message
    unknown = await run(kit, {**decided, "conditions": [PASS, SKIP, FAIL]})
    assert unknown.status == "skipped"
    settled = await run(kit, {**decided, "value": 0.3, "conditions": [PASS, SKIP, FAIL]})
    assert settled.status == "passed"


async def test_threshold_over_one_condition_compares_its_score(kit: Any) -> None:
    """The original form: a single condition's score against the value."""
    sections = {"type": "sections", "config": {"sections": ["{}", "absent"], "path": "a.txt"}}
    config = {"operator": "threshold", "value": 0.5, "comparator": ">=", "condition": sections}
    assert (await run(kit, config)).status == "passed"
    assert (await run(kit, {**config, "comparator": "gt"})).status == "failed"


async def test_skipped_message_names_the_unknown_conditions(kit: Any) -> None:
    """The reason for a skip lists which conditions were unknown and why."""
    result = await run(kit, {"operator": "and", "conditions": [PASS, SKIP, ERROR]})
    assert result.status == "skipped"
    assert "conditions[1] (must_use_tools) skipped: agent reported 2 tool calls" in result.message
    assert "conditions[2] (schema) error: evaluator raised" in result.message
    assert [c["status"] for c in result.details["conditions"]] == ["passed", "skipped", "error"]


async def test_failure_message_says_which_condition_failed(kit: Any) -> None:
    """A failed and names the failing condition and its own message."""
    result = await run(kit, {"operator": "and", "conditions": [PASS, FAIL]})
    assert result.status == "failed"
    assert "conditions[1] (artifact_exists) failed: no artifact or workspace file" in result.message
    assert result.score == 0.5


async def test_nested_composites_in_both_spellings(kit: Any) -> None:
    """A nested composite works as {type: composite} and as the inline {operator: ...}."""
    inner = {"operator": "or", "conditions": [FAIL, PASS]}
    config = {"operator": "and", "conditions": [{"type": "composite", "config": inner}, inner]}
    assert (await run(kit, config)).status == "passed"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"operator": "and", "conditions": []}, "non-empty conditions"),
        ({"operator": "not", "conditions": [PASS, PASS]}, "not needs one condition"),
        ({"operator": "threshold", "conditions": [PASS]}, "value between 0 and 1"),
        ({"operator": "threshold", "value": 2, "conditions": [PASS]}, "value between 0 and 1"),
        ({"operator": "and", "value": 0.5, "conditions": [PASS]}, "only for threshold"),
        ({"operator": "xor", "conditions": [PASS]}, "$.operator"),
        (
            {"operator": "and", "conditions": [{"type": "nope"}]},
            "conditions[0]: unknown assertion type 'nope'",
        ),
        (
            {
                "operator": "and",
                "conditions": [{"type": "contains", "config": {"pattern": "x", "bad": 1}}],
            },
            "extra fields found (bad)",
        ),
        (
            {"operator": "and", "conditions": [{"type": "contains", "cfg": {}}]},
            "extra fields found (cfg)",
        ),
        ({"operator": "and", "conditions": [{"config": {}}]}, "needs a type"),
        (
            {
                "operator": "or",
                "conditions": [{"operator": "and", "conditions": [{"type": "llm_eval"}]}],
            },
            "not available yet",
        ),
    ],
)
def test_bad_composites_are_load_time_errors(config: dict[str, Any], message: str) -> None:
    """Shape errors and any nested config error are raised by validate_config."""
    with pytest.raises(ConfigError) as info:
        validate_config("composite", config)
    assert message in str(info.value)
