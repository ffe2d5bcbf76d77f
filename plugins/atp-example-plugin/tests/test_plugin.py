"""The example plugin's own tests; they run with the plugin installed (its entry points)."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest
from atp_example_plugin.adapter import WordCountAdapter
from atp_example_plugin.evaluator import JsonValue
from atp_example_plugin.reporter import SummaryReporter

from atp_core.adapters import adapter_class
from atp_core.evaluators import evaluator_class
from atp_core.plugins import api_problem
from atp_core.protocol import SuiteRunResult
from atp_core.reporters import render_report
from atp_core.runner import RunOptions, run_suite
from atp_core.suite import load_suite

SUITE = Path(__file__).parents[1] / "suite" / "wordcount.yaml"


@pytest.fixture(scope="module")
def result() -> SuiteRunResult:
    """The plugin's suite, run through ATP's registries."""
    suite = load_suite(SUITE, env={})
    return anyio.run(run_suite, suite, suite.agents[0], RunOptions())


def test_entry_points_resolve_to_the_plugin_classes() -> None:
    """ATP finds each part under its registered name."""
    assert adapter_class("example-wordcount") is WordCountAdapter
    assert evaluator_class("example_json_value") is JsonValue


def test_every_part_supports_this_atp_plugin_api() -> None:
    """Each part declares a plugin API range that includes the running ATP."""
    for part in (WordCountAdapter, JsonValue, SummaryReporter):
        assert api_problem(part.atp_plugin_api) is None


def test_suite_passes_with_the_plugin_adapter_and_evaluator(result: SuiteRunResult) -> None:
    """The plugin's suite passes: the adapter's counts satisfy the evaluator's checks."""
    assert [t.verdict for t in result.tests] == ["passed", "passed"]


def test_summary_reporter_lists_each_test_with_its_verdict(result: SuiteRunResult) -> None:
    """The reporter writes its title, one line per test and the counts."""
    text = render_report(result, "example-summary")
    assert text.splitlines()[0] == "ATP summary"
    assert "PASSED  total-words" in text
    assert text.rstrip().endswith("2 passed, 0 failed, 0 error")
