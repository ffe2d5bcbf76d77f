"""The JSON report, its schema and reading it back."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import attrs
import jsonschema
import pytest

from atp_core import protocol
from atp_core.protocol import SuiteRunResult
from atp_core.reporters import (
    REPORT_VERSION,
    _baseline,
    load_json_report,
    render_report,
    report_json_schema,
)
from atp_core.reporters._facts import Summary

if TYPE_CHECKING:
    from .conftest import Make


def validate(doc: Any) -> None:
    """Validate ``doc`` against the report schema (draft 2020-12)."""
    jsonschema.Draft202012Validator(report_json_schema()).validate(doc)


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    """The schema itself passes the draft 2020-12 meta-schema."""
    schema = report_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


SCHEMA_TYPES = [
    *(getattr(protocol, name) for name in (
        "CheckResult", "ScoreComponents", "ComponentRef", "RunRecord", "TestStats",
        "TestResult", "SuiteRunResult", "Metrics", "Event", "FileArtifact",
        "StructuredArtifact", "ReferenceArtifact")),
    Summary, _baseline.TestDelta, _baseline.BaselineComparison,
]


@pytest.mark.parametrize("cls", SCHEMA_TYPES, ids=lambda c: c.__name__)
def test_schema_lists_exactly_the_fields_of_each_type(cls: type) -> None:
    """Every attrs field is in the schema and nothing else is (drift is caught here)."""
    definition = report_json_schema()["$defs"][cls.__name__]
    assert set(definition["properties"]) == {f.name for f in attrs.fields(cls)}


def test_document_holds_version_summary_and_every_run(mixed: SuiteRunResult) -> None:
    """The document is versioned and keeps every run and check."""
    doc = json.loads(render_report(mixed, "json"))
    assert doc["report_version"] == REPORT_VERSION == 1
    assert doc["atp_version"]
    assert doc["summary"]["runs"] == 7
    assert doc["summary"]["error"] == 1
    assert doc["baseline"] is None
    flaky = doc["suite_run"]["tests"][1]
    assert [c["status"] for c in flaky["runs"][1]["checks"]] == ["failed", "skipped", "passed"]
    validate(doc)


def test_non_finite_numbers_become_strings_and_come_back(mixed: SuiteRunResult) -> None:
    """NaN is written as ``"NaN"`` (valid JSON) and read back as a float NaN."""
    text = render_report(mixed, "json")
    assert "NaN," not in text.replace('"NaN",', "")
    doc = json.loads(text)
    assert doc["suite_run"]["tests"][2]["stats"]["std_score"] == "NaN"
    back = load_json_report(text)
    assert math.isnan(back.tests[2].stats.std_score)
    assert back.tests[0] == mixed.tests[0]


def test_report_round_trips_to_an_equal_result(hostile: SuiteRunResult) -> None:
    """Reading a report back gives the same result, hostile agent text included."""
    assert load_json_report(render_report(hostile, "json")) == hostile


def test_output_is_ascii_so_any_transport_keeps_it(hostile: SuiteRunResult) -> None:
    """Non-ASCII and control characters are escaped by the JSON encoder."""
    assert render_report(hostile, "json").isascii()


def test_baseline_comparison_is_included_and_valid(make: Make) -> None:
    """With a baseline, the document carries the per-test deltas and still validates."""
    base = make.suite(make.test(stats=make.stats(mean_score=0.5)), id="base")
    doc = json.loads(render_report(make.suite(), "json", baseline=base))
    assert doc["baseline"]["baseline_id"] == "base"
    assert doc["baseline"]["tests"][0]["mean_score_delta"] == pytest.approx(0.4)
    validate(doc)


def test_loading_refuses_other_versions_and_invalid_documents(mixed: SuiteRunResult) -> None:
    """Wrong version, broken JSON and schema violations are ValueErrors that say where."""
    doc = json.loads(render_report(mixed, "json"))
    with pytest.raises(ValueError, match="report_version=2"):
        load_json_report(json.dumps(doc | {"report_version": 2}))
    with pytest.raises(ValueError, match="not a JSON document"):
        load_json_report("{")
    doc["suite_run"]["tests"][0]["verdict"] = "maybe"
    with pytest.raises(ValueError, match="suite_run/tests/0/verdict"):
        load_json_report(json.dumps(doc))


def test_schema_rejects_unknown_fields(mixed: SuiteRunResult) -> None:
    """An extra field in a run is a schema violation (the format is versioned)."""
    doc = json.loads(render_report(mixed, "json"))
    doc["suite_run"]["tests"][0]["runs"][0]["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validate(doc)
