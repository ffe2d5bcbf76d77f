"""The JSON Schema (draft 2020-12) of the JSON report, version 1, written by hand.

Every object lists all its properties as required and forbids others: the report is
produced by ``unstructure``, which always writes every field, so a field added to the
result types without a schema update is caught by the tests rather than by users.
"""

from __future__ import annotations

from typing import Any

from atp_core.protocol import EVENT_TYPES

Schema = dict[str, Any]

NUMBER: Schema = {"anyOf": [{"type": "number"}, {"enum": ["NaN", "Infinity", "-Infinity"]}]}
INTEGER: Schema = {"type": "integer"}
STRING: Schema = {"type": "string"}
BOOLEAN: Schema = {"type": "boolean"}
OBJECT: Schema = {"type": "object"}
VERDICT: Schema = {"enum": ["passed", "failed", "error"]}


def _opt(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def _pair(items: Schema) -> Schema:
    return {"type": "array", "prefixItems": [items, items], "minItems": 2, "maxItems": 2,
            "items": False}


def _obj(description: str, **properties: Schema) -> Schema:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _wire_defs() -> dict[str, Schema]:
    int_names = ("total_tokens", "input_tokens", "output_tokens", "cache_creation_tokens",
                 "cache_read_tokens", "total_steps", "tool_calls", "llm_calls")
    metrics = {n: _opt(INTEGER) for n in int_names}
    metrics |= {"wall_time_seconds": _opt(NUMBER), "cost_usd": _opt(NUMBER)}
    return {
        "Metrics": _obj("What the agent reported it consumed.", **metrics),
        "Event": _obj(
            "An event the agent streamed while working.",
            task_id=STRING, event_type={"enum": list(EVENT_TYPES)}, timestamp=STRING,
            sequence=INTEGER, payload=OBJECT, version=STRING,
        ),
        "FileArtifact": _obj(
            "A file the agent produced.",
            path=STRING, type={"const": "file"}, content_type=_opt(STRING),
            size_bytes=_opt(INTEGER), content_hash=_opt(STRING), content=_opt(STRING),
        ),
        "StructuredArtifact": _obj(
            "Structured data the agent produced.",
            name=STRING, data=OBJECT, type={"const": "structured"}, content_type=_opt(STRING),
        ),
        "ReferenceArtifact": _obj(
            "A pointer to something the agent produced elsewhere.",
            path=STRING, type={"const": "reference"}, content_type=_opt(STRING),
            size_bytes=_opt(INTEGER),
        ),
        "Artifact": {"oneOf": [_ref("FileArtifact"), _ref("StructuredArtifact"),
                               _ref("ReferenceArtifact")]},
    }


def _result_defs() -> dict[str, Schema]:
    components = {n: _opt(NUMBER) for n in ("quality", "completeness", "efficiency", "cost")}
    return {
        "CheckResult": _obj(
            "One assertion or constraint check of one run; skipped never counts as passed.",
            name=STRING, status={"enum": ["passed", "failed", "skipped", "error"]},
            score=_opt(NUMBER), message=STRING, critical=BOOLEAN, weight=NUMBER,
            details=OBJECT,
        ),
        "ScoreComponents": _obj("Score components; null means unmeasured.", **components),
        "ComponentRef": _obj("An adapter or evaluator used.", name=STRING, type=STRING,
                             config=OBJECT),
        "RunRecord": _obj(
            "Everything about one attempt of one test.",
            test_id=STRING, run_number=INTEGER, agent=STRING, status=STRING, verdict=VERDICT,
            score=NUMBER, started_at=STRING, duration_seconds=NUMBER, version=INTEGER,
            components=_ref("ScoreComponents"), checks=_array(_ref("CheckResult")),
            error=_opt(STRING), error_kind=_opt(STRING), metrics=_ref("Metrics"),
            events=_array(_ref("Event")), artifacts=_array(_ref("Artifact")),
            protocol_warnings=_array(STRING), trace_id=_opt(STRING),
            adapter=_opt(_ref("ComponentRef")), workspace=_opt(STRING),
        ),
        "TestStats": _obj(
            "Aggregate statistics of a test's runs.",
            n=INTEGER, passed=INTEGER, pass_rate=NUMBER, pass_rate_ci=_pair(NUMBER),
            k=INTEGER, pass_at_k=NUMBER, pass_hat_k=NUMBER, mean_score=NUMBER,
            std_score=NUMBER, score_ci=_pair(NUMBER), min_score=NUMBER, max_score=NUMBER,
            mean_duration=NUMBER, mean_tokens=_opt(NUMBER), total_cost=_opt(NUMBER),
            flaky=BOOLEAN, errors=INTEGER,
        ),
        "TestResult": _obj(
            "A test with all its runs, their statistics and its verdict.",
            test_id=STRING, name=STRING, verdict=VERDICT, reason=STRING,
            stats=_ref("TestStats"), runs=_array(_ref("RunRecord")), tags=_array(STRING),
            pass_policy=STRING,
        ),
        "SuiteRunResult": _obj(
            "The result of running one suite against one agent.",
            id=STRING, suite=STRING, agent=STRING, started_at=STRING, finished_at=STRING,
            status={"enum": ["completed", "interrupted", "stopped_early"]},
            tests=_array(_ref("TestResult")), version=INTEGER, suite_version=STRING,
            atp_version=STRING,
        ),
    }


def _report_defs() -> dict[str, Schema]:
    names = ("tests", "passed", "failed", "error", "runs", "runs_passed", "runs_failed",
             "runs_error")
    counts = dict.fromkeys(names, INTEGER)
    return {
        "Summary": _obj(
            "Counts of tests and runs by verdict; duration and cost (null: not reported).",
            **counts, duration_seconds=_opt(NUMBER), total_cost_usd=_opt(NUMBER),
        ),
        "TestDelta": _obj(
            "One test against the baseline; status new when the baseline lacks it.",
            test_id=STRING, status={"enum": ["compared", "new"]},
            baseline_pass_rate=_opt(NUMBER), pass_rate_delta=_opt(NUMBER),
            baseline_mean_score=_opt(NUMBER), mean_score_delta=_opt(NUMBER),
        ),
        "BaselineComparison": _obj(
            "This run against a baseline run.",
            baseline_id=_opt(STRING), tests=_array(_ref("TestDelta")),
            missing=_array(STRING),
        ),
    }


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every JSON report validates against."""
    root = _obj(
        "An ATP JSON report: one suite run with every run, check and aggregate.",
        report_version={"const": 1}, atp_version=STRING, summary=_ref("Summary"),
        suite_run=_ref("SuiteRunResult"), baseline=_opt(_ref("BaselineComparison")),
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:atp:report:1",
        "title": "ATP JSON report, version 1",
        **root,
        "$defs": _wire_defs() | _result_defs() | _report_defs(),
    }
