"""The self-contained HTML report."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from atp_core.protocol import SuiteRunResult
from atp_core.reporters import render_report

if TYPE_CHECKING:
    from .conftest import Make

VOID = {"meta", "br", "hr", "img", "input", "link"}


class Tags(HTMLParser):
    """Collects every tag with its attributes and checks that elements nest properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(text: str) -> Tags:
    """Parse the page, asserting every element is closed in order."""
    tags = Tags()
    tags.feed(text)
    tags.close()
    assert tags.stack == []
    return tags


def test_page_is_well_formed_and_self_contained(mixed: SuiteRunResult) -> None:
    """No URL, script, stylesheet link or embedded resource appears anywhere."""
    text = render_report(mixed, "html")
    assert text.startswith("<!DOCTYPE html>")
    assert "http://" not in text
    assert "https://" not in text
    tags = parse(text)
    names = {name for name, _ in tags.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed"}
    assert [name for name, _ in tags.tags].count("style") == 1
    hrefs = [a.get("href") for name, a in tags.tags if "href" in a or "src" in a]
    assert all(re.fullmatch(r"#test-\d+", h or "") for h in hrefs)


def test_agent_markup_is_text_never_a_tag(hostile: SuiteRunResult) -> None:
    """``<script>`` from an agent (errors, checks, artifacts, events) is escaped."""
    text = render_report(hostile, "html")
    assert "<script" not in text.lower()
    tags = parse(text)
    assert "script" not in {name for name, _ in tags.tags}
    joined = "".join(tags.text)
    assert joined.count("<script>alert(1)</script>") >= 6
    assert "\x00" not in text
    assert "\x1b" not in text


def test_agent_urls_appear_only_as_escaped_text(make: Make) -> None:
    """A URL in agent output is shown as text, never turned into a link or resource."""
    run = make.run(verdict="failed", error="see https://evil.example/<x>",
                   error_kind="agent_failed")
    text = render_report(make.suite(make.test(verdict="failed", runs=(run,))), "html")
    assert "https://evil.example/&lt;x&gt;" in text
    tags = parse(text)
    assert not any("evil" in (v or "") for _, attrs in tags.tags for v in attrs.values())


def test_charts_are_inline_svg_with_error_bars(mixed: SuiteRunResult) -> None:
    """Two SVG charts: mean score dots with CI whiskers, and pass rate bars."""
    tags = parse(render_report(mixed, "html")).tags
    svgs = [a for name, a in tags if name == "svg"]
    assert len(svgs) == 2
    assert all("xmlns" not in a for a in svgs)
    dots = [a for name, a in tags if name == "circle"]
    assert len(dots) == 4
    whiskers = [a for name, a in tags if name == "line" and a.get("class") == "ci"]
    # Score chart: three tests with a finite CI; pass rate chart: all four; 3 lines each.
    assert len(whiskers) == (3 + 4) * 3
    bars = [a for name, a in tags if name == "rect"]
    assert [float(b["width"] or 0) for b in bars] == [400.0, 200.0, 0.0, 400.0]


def test_every_run_is_an_expandable_details_block(mixed: SuiteRunResult) -> None:
    """One ``<details class=run>`` per run; runs that did not pass start open."""
    tags = parse(render_report(mixed, "html")).tags
    runs = [a for name, a in tags if name == "details" and a.get("class") == "run"]
    assert len(runs) == 7
    assert sum("open" in a for a in runs) == 2
    sections = [a for name, a in tags if name == "section" and a.get("class") == "test"]
    assert [s["id"] for s in sections] == ["test-0", "test-1", "test-2", "test-3"]


def test_checks_show_their_real_status_and_messages(mixed: SuiteRunResult) -> None:
    """Failed and skipped checks appear with their status and message."""
    text = render_report(mixed, "html")
    assert "<tr class='skipped'><td>schema</td>" in text
    assert "no structured artifact to validate" in text
    assert "<tr class='failed'><td>artifact_exists</td>" in text
    assert "Agent error crashed: process exited with code 139" in text


def test_artifacts_and_events_are_shown(hostile: SuiteRunResult) -> None:
    """Artifact contents and event payloads are part of the run details."""
    text = render_report(hostile, "html")
    assert "file: out.html" in text
    assert "structured: data" in text
    assert "Events (1)" in text


def test_baseline_is_marked_in_the_score_chart(make: Make) -> None:
    """With a baseline, the chart marks the baseline mean and the table shows deltas."""
    base = make.suite(make.test(stats=make.stats(mean_score=0.5)))
    text = render_report(make.suite(), "html", baseline=base)
    assert text.count('class="baseline"') == 1
    assert "<td>+0.40</td>" in text


def test_empty_and_interrupted_runs_render(make: Make) -> None:
    """A run without tests renders, and an interrupted one says it is partial."""
    text = render_report(make.suite(tests=(), status="interrupted"), "html")
    parse(text)
    assert "No tests were run." in text
    assert "Partial results: the suite run was interrupted." in text
