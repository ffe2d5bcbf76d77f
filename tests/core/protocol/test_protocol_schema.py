"""The JSON Schema generator and the published protocol and suite schemas."""

from __future__ import annotations

from typing import Any, Literal

import attrs
import jsonschema
import pytest

from atp_core.evaluators._registry import BUILTIN_EVALUATORS
from atp_core.protocol import Response
from atp_core.protocol._schema import DRAFT, json_schema
from atp_core.protocol.schemas import protocol_schemas, suite_schema


@attrs.frozen(kw_only=True)
class Leaf:
    """A nested class."""

    size: int = attrs.field(default=1, metadata={"description": "How big.",
                                                  "json_schema": {"minimum": 0}})


@attrs.frozen(kw_only=True)
class Sample:
    """A class with one field of every supported kind.

    Second paragraph.
    """

    name: str
    ratio: float = 0.5
    flag: bool = False
    nothing: None = None
    maybe: int | None = None
    mode: Literal["a", "b"] = "a"
    items: list[str] = attrs.Factory(list)
    pair: tuple[float, float] = (0.0, 1.0)
    many: tuple[int, ...] = ()
    table: dict[str, int] = attrs.Factory(dict)
    anything: Any = None
    leaf: Leaf = attrs.Factory(Leaf)
    leaves: list[Leaf] | None = None


def _valid(schema: dict[str, Any], data: Any) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(data)


def test_generated_schema_is_a_valid_draft_2020_12_schema() -> None:
    """The generator's output passes the draft 2020-12 meta-schema."""
    schema = json_schema(Sample)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT


def test_fields_map_to_json_types_defaults_and_descriptions() -> None:
    """Each annotation gets its JSON type; defaults, docstrings and metadata are carried over."""
    schema = json_schema(Sample)
    props = schema["properties"]
    assert schema["description"].startswith("A class with one field")
    assert schema["required"] == ["name"]
    assert props["ratio"] == {"type": "number", "default": 0.5}
    assert props["nothing"] == {"type": "null", "default": None}
    assert props["maybe"]["anyOf"] == [{"type": "integer"}, {"type": "null"}]
    assert props["mode"] == {"enum": ["a", "b"], "type": "string", "default": "a"}
    assert props["pair"]["prefixItems"] == [{"type": "number"}, {"type": "number"}]
    assert props["many"] == {"type": "array", "items": {"type": "integer"}, "default": []}
    assert props["table"]["additionalProperties"] == {"type": "integer"}
    assert props["anything"] == {"default": None}
    assert props["leaf"] == {"$ref": "#/$defs/Leaf", "default": {"size": 1}}
    leaf = schema["$defs"]["Leaf"]["properties"]["size"]
    assert leaf == {"type": "integer", "description": "How big.", "minimum": 0, "default": 1}


def test_strict_schema_refuses_unknown_keys_and_lenient_one_allows_them() -> None:
    """strict=True closes every class of ours; strict=False leaves them open."""
    data = {"name": "n", "extra": 1, "leaf": {"size": 2, "other": 3}}
    assert not _valid(json_schema(Sample, strict=True), data)
    assert _valid(json_schema(Sample, strict=False), data)


def test_schema_checks_types_enums_and_nested_bounds() -> None:
    """Wrong types, values outside a Literal and nested bounds are refused."""
    schema = json_schema(Sample)
    assert _valid(schema, {"name": "n", "mode": "b", "pair": [1, 2], "leaves": [{"size": 0}]})
    assert not _valid(schema, {"name": 3})
    assert not _valid(schema, {"name": "n", "mode": "c"})
    assert not _valid(schema, {"name": "n", "pair": [1, 2, 3]})
    assert not _valid(schema, {"name": "n", "leaves": [{"size": -1}]})


def test_artifact_union_is_one_of_keyed_by_type() -> None:
    """Artifacts are a oneOf whose branches require their constant type tag."""
    schema = json_schema(Response)
    items = schema["properties"]["artifacts"]["items"]
    assert [b["$ref"] for b in items["oneOf"]] == [
        "#/$defs/FileArtifact", "#/$defs/StructuredArtifact", "#/$defs/ReferenceArtifact"]
    assert all(b["required"] == ["type"] for b in items["oneOf"])
    assert schema["$defs"]["FileArtifact"]["properties"]["type"]["const"] == "file"
    base = {"task_id": "t", "status": "completed"}
    assert _valid(schema, {**base, "artifacts": [{"type": "reference", "path": "x"}]})
    assert not _valid(schema, {**base, "artifacts": [{"path": "x"}]})
    assert not _valid(schema, {**base, "artifacts": [{"type": "file", "name": "s", "data": {}}]})


def test_unsupported_annotation_is_an_error() -> None:
    """A type the generator cannot describe raises instead of producing a vague schema."""

    @attrs.frozen
    class Odd:
        when: complex

    with pytest.raises(TypeError, match="complex"):
        json_schema(Odd)


def test_published_protocol_schemas_are_valid_and_open_by_default() -> None:
    """request/response/event schemas pass the meta-schema and allow unknown fields."""
    schemas = protocol_schemas()
    assert sorted(schemas) == ["event", "request", "response"]
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    assert _valid(schemas["response"], {"task_id": "t", "status": "completed", "new": 1})
    strict = protocol_schemas(strict=True)["response"]
    assert not _valid(strict, {"task_id": "t", "status": "completed", "new": 1})


def test_event_schema_checks_payload_by_event_type() -> None:
    """A tool_call payload's status is success or error; other kinds are not affected."""
    event = protocol_schemas()["event"]
    assert _valid(event, {"event_type": "tool_call", "payload": {"status": "error"}})
    assert not _valid(event, {"event_type": "tool_call", "payload": {"status": "ok"}})
    assert _valid(event, {"event_type": "reasoning", "payload": {"status": "ok"}})


SUITE: dict[str, Any] = {
    "test_suite": "demo",
    "version": "1.0",
    "description": "d",
    "defaults": {"runs_per_test": "${RUNS:3}", "timeout_seconds": 60,
                 "constraints": {"max_steps": 10, "budget_usd": 0.5},
                 "scoring": {"quality_weight": 0.4, "completeness_weight": 0.3,
                             "efficiency_weight": 0.2, "cost_weight": 0.1},
                 "pass_policy": {"rate": 0.8}},
    "agents": [{"name": "a", "type": "cli", "config": {"command": "python"}}],
    "tests": [{
        "id": "t-001", "name": "Create a file", "tags": ["smoke"],
        "task": {"description": "...", "input_data": {"x": 1}, "expected_artifacts": ["h.txt"],
                 "workspace_fixture": "fixtures/ws1"},
        "constraints": {"timeout_seconds": 30, "allowed_tools": ["write_file"]},
        "assertions": [{"type": "artifact_exists", "config": {"path": "h.txt"}, "critical": True}],
        "pass_threshold": 0.7, "pass_policy": "majority",
    }],
}


def test_suite_schema_accepts_the_spec_example() -> None:
    """The suite of SPEC §2 (with a ${VAR} number) fits the suite schema."""
    schema = suite_schema(BUILTIN_EVALUATORS)
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(SUITE)]
    assert errors == []


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"tests": []}, "no tests"),
        ({"name": "demo"}, "unknown top-level key"),
        ({"defaults": {"runs_per_test": 0}}, "runs below 1"),
        ({"defaults": {"pass_policy": "most"}}, "unknown policy word"),
        ({"defaults": {"pass_policy": {"rate": 1.5}}}, "rate above 1"),
        ({"defaults": {"runs_per_test": "three"}}, "text that is no ${VAR}"),
        ({"agents": [{"name": "a"}]}, "agent without type"),
    ],
)
def test_suite_schema_refuses_bad_suites(change: dict[str, Any], why: str) -> None:
    """Each broken variant of the example is refused."""
    schema = suite_schema(BUILTIN_EVALUATORS)
    assert not _valid(schema, {**SUITE, **change}), why


def test_suite_schema_lists_exactly_the_given_assertion_types() -> None:
    """The assertion type is an enum of the registry's names; without names any name passes."""
    broken = {**SUITE, "tests": [{**SUITE["tests"][0], "assertions": [{"type": "llm_eval"}]}]}
    with_types = suite_schema(BUILTIN_EVALUATORS)
    enum = with_types["$defs"]["Assertion"]["properties"]["type"]["enum"]
    assert enum == sorted(BUILTIN_EVALUATORS)
    assert not _valid(with_types, broken)
    assert _valid(suite_schema(), broken)
