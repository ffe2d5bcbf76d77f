"""artifact_exists, contains, schema and sections on real responses and workspaces."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atp_core.errors import ConfigError
from atp_core.evaluators import validate_config
from atp_core.protocol import FileArtifact, ReferenceArtifact, StructuredArtifact

pytestmark = pytest.mark.anyio
NO_FIXTURE_STATE = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60, deadline=None
)


async def test_artifact_exists_finds_file_structured_and_reference_artifacts(kit: Any) -> None:
    """A file path, a structured name or a reference path each satisfy artifact_exists."""
    ctx = kit.ctx(
        artifacts=[
            FileArtifact(path="./out/a.txt", content="x"),
            StructuredArtifact(name="summary", data={"k": 1}),
            ReferenceArtifact(path="https://example.org/report"),
        ]
    )
    for path in ("out/a.txt", "summary", "https://example.org/report"):
        result = await kit.check("artifact_exists", {"path": path}, ctx, critical=True, weight=2.0)
        assert (result.status, result.score, result.name) == ("passed", 1.0, "artifact_exists")
        assert result.critical is True
        assert result.weight == 2.0


async def test_artifact_exists_accepts_a_workspace_file(kit: Any) -> None:
    """A file the agent wrote into the workspace counts even without an artifact."""
    kit.write("hello.txt", "hi")
    result = await kit.check("artifact_exists", {"path": "hello.txt"}, kit.ctx())
    assert result.status == "passed"
    assert "workspace" in result.message


async def test_artifact_exists_fails_and_lists_what_exists(kit: Any) -> None:
    """A missing artifact fails, naming the artifacts that do exist."""
    ctx = kit.ctx(artifacts=[FileArtifact(path="other.txt", content="")])
    result = await kit.check("artifact_exists", {"path": "hello.txt"}, ctx)
    assert (result.status, result.score) == ("failed", 0.0)
    assert "'hello.txt'" in result.message
    assert "other.txt (file)" in result.message


async def test_artifact_exists_is_skipped_without_a_workspace(kit: Any) -> None:
    """With no artifact and no workspace directory, the check cannot be decided."""
    ctx = kit.ctx(workspace=kit.workspace / "gone")
    result = await kit.check("artifact_exists", {"path": "hello.txt"}, ctx)
    assert result.status == "skipped"
    assert result.score is None
    assert "does not exist" in result.message


async def test_contains_finds_text_in_any_artifact(kit: Any) -> None:
    """Without a path every artifact is searched, structured data as JSON text."""
    ctx = kit.ctx(
        artifacts=[
            FileArtifact(path="a.txt", content="nothing here"),
            StructuredArtifact(name="result", data={"answer": "café", "n": 42}),
        ]
    )
    result = await kit.check("contains", {"pattern": '"answer": "café"'}, ctx)
    assert result.status == "passed"
    assert "result (structured)" in result.message


async def test_contains_regex_and_path_restriction(kit: Any) -> None:
    """A path restricts the search to that artifact; regex uses re.search."""
    ctx = kit.ctx(
        artifacts=[
            FileArtifact(path="a.txt", content="total: 17"),
            FileArtifact(path="b.txt", content="total: 99"),
        ]
    )
    hit = await kit.check(
        "contains", {"pattern": r"total: \d\d$", "regex": True, "path": "a.txt"}, ctx
    )
    miss = await kit.check("contains", {"pattern": "99", "path": "a.txt"}, ctx)
    assert hit.status == "passed"
    assert miss.status == "failed"
    assert "'99'" in miss.message
    assert "a.txt (file), which starts 'total: 17'" in miss.message


async def test_contains_decodes_base64_binary_artifacts(kit: Any) -> None:
    """A file artifact with a binary content type is base64-decoded before searching."""
    content = base64.b64encode(b"PDF text: invoice 42").decode()
    ctx = kit.ctx(
        artifacts=[FileArtifact(path="a.pdf", content_type="application/pdf", content=content)]
    )
    result = await kit.check("contains", {"pattern": "invoice 42"}, ctx)
    assert result.status == "passed"


async def test_contains_reads_a_workspace_file_named_by_path(kit: Any) -> None:
    """A path that names no artifact falls back to the workspace file."""
    kit.write("notes.md", "# Title\nthe key phrase")
    result = await kit.check("contains", {"pattern": "key phrase", "path": "notes.md"}, kit.ctx())
    assert result.status == "passed"


async def test_contains_fails_when_there_is_nothing_to_search(kit: Any) -> None:
    """No artifacts at all is a failure, not a skip."""
    result = await kit.check("contains", {"pattern": "x"}, kit.ctx())
    assert result.status == "failed"
    assert "the response has no artifacts" in result.message


async def test_contains_is_skipped_when_the_only_artifact_is_unreadable(kit: Any) -> None:
    """Undecodable binary content cannot be searched, so a miss is undecided."""
    content = base64.b64encode(b"\xff\xfe\x00binary").decode()
    ctx = kit.ctx(
        artifacts=[
            FileArtifact(path="a.txt", content="plain"),
            FileArtifact(path="img.png", content_type="image/png", content=content),
        ]
    )
    result = await kit.check("contains", {"pattern": "needle"}, ctx)
    assert result.status == "skipped"
    assert "img.png (file) is binary" in result.message


def test_contains_rejects_an_invalid_regex_at_load_time() -> None:
    """An invalid regex is a config error naming the pattern."""
    with pytest.raises(ConfigError, match=r"invalid regex '\(unclosed'"):
        validate_config("contains", {"pattern": "(unclosed", "regex": True})


@given(
    text=st.text(max_size=40),
    start=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=1, max_value=8),
)
@NO_FIXTURE_STATE
def test_contains_finds_every_substring_as_plain_text_and_as_escaped_regex(
    kit: Any, text: str, start: int, length: int
) -> None:
    """Any non-empty substring is found both literally and as an escaped regex."""
    needle = text[start : start + length]
    if not needle:
        return
    ctx = kit.ctx(artifacts=[FileArtifact(path="a.txt", content=text)])
    assert kit.check_sync("contains", {"pattern": needle}, ctx).status == "passed"
    escaped = {"pattern": re.escape(needle), "regex": True}
    assert kit.check_sync("contains", escaped, ctx).status == "passed"


@given(
    text=st.text(alphabet="abc", max_size=30),
    needle=st.text(alphabet="abcd", min_size=1, max_size=4),
)
@NO_FIXTURE_STATE
def test_contains_agrees_with_the_in_operator(kit: Any, text: str, needle: str) -> None:
    """The plain-text verdict is exactly Python's substring test."""
    ctx = kit.ctx(artifacts=[FileArtifact(path="a.txt", content=text)])
    result = kit.check_sync("contains", {"pattern": needle}, ctx)
    assert result.status == ("passed" if needle in text else "failed")


SCHEMA = {
    "type": "object",
    "required": ["name", "items"],
    "properties": {
        "name": {"type": "string"},
        "items": {"type": "array", "items": {"type": "integer"}},
    },
}


async def test_schema_validates_structured_and_json_file_artifacts(kit: Any) -> None:
    """A structured artifact and a JSON file artifact both validate."""
    ctx = kit.ctx(
        artifacts=[
            StructuredArtifact(name="r", data={"name": "x", "items": [1, 2]}),
            FileArtifact(path="r.json", content='{"name": "y", "items": []}'),
        ]
    )
    assert (await kit.check("schema", {"schema": SCHEMA}, ctx)).status == "passed"
    assert (await kit.check("schema", {"schema": SCHEMA, "path": "r.json"}, ctx)).status == "passed"


async def test_schema_failure_lists_errors_with_json_paths(kit: Any) -> None:
    """Violations are reported with the JSON path of each."""
    ctx = kit.ctx(artifacts=[StructuredArtifact(name="r", data={"name": 5, "items": [1, "two"]})])
    result = await kit.check("schema", {"schema": SCHEMA, "path": "r"}, ctx)
    assert result.status == "failed"
    assert "$.items[1]: 'two' is not of type 'integer'" in result.message
    assert "$.name: 5 is not of type 'string'" in result.message


async def test_schema_reports_invalid_json(kit: Any) -> None:
    """A JSON file that does not parse fails with the parse error."""
    ctx = kit.ctx(artifacts=[FileArtifact(path="r.json", content="{oops")])
    result = await kit.check("schema", {"schema": SCHEMA}, ctx)
    assert result.status == "failed"
    assert "not valid JSON" in result.message


async def test_schema_is_skipped_when_the_document_cannot_be_read(kit: Any) -> None:
    """A reference artifact with nothing in the workspace cannot be validated."""
    ctx = kit.ctx(artifacts=[ReferenceArtifact(path="remote.json")])
    result = await kit.check("schema", {"schema": SCHEMA, "path": "remote.json"}, ctx)
    assert result.status == "skipped"
    assert "no inline content" in result.message


async def test_schema_fails_without_json_artifacts(kit: Any) -> None:
    """Nothing to validate is a failure."""
    ctx = kit.ctx(artifacts=[FileArtifact(path="a.txt", content="text")])
    result = await kit.check("schema", {"schema": SCHEMA}, ctx)
    assert result.status == "failed"
    assert "no structured or JSON artifact" in result.message


def test_schema_rejects_an_invalid_schema_at_load_time() -> None:
    """An invalid JSON Schema is a config error."""
    with pytest.raises(ConfigError, match="invalid JSON Schema"):
        validate_config("schema", {"schema": {"type": "no-such-type"}})


REPORT = "# Report\n\n## Summary\nAll good.\n\nSee the conclusion below.\n"


async def test_sections_pass_on_headings_and_phrases(kit: Any) -> None:
    """Headings of any level and phrases, case-insensitive, count as present."""
    ctx = kit.ctx(artifacts=[FileArtifact(path="r.md", content=REPORT)])
    result = await kit.check("sections", {"sections": ["summary", "Conclusion"]}, ctx)
    assert (result.status, result.score) == ("passed", 1.0)
    assert result.details["found"] == {"summary": "heading", "Conclusion": "phrase"}


async def test_sections_score_is_the_share_present(kit: Any) -> None:
    """Missing sections fail the check and lower the score proportionally."""
    ctx = kit.ctx(artifacts=[FileArtifact(path="r.md", content=REPORT)])
    config = {"sections": ["Summary", "Methods", "Risks", "Report"], "path": "r.md"}
    result = await kit.check("sections", config, ctx)
    assert (result.status, result.score) == ("failed", 0.5)
    assert "missing sections: Methods, Risks" in result.message


async def test_sections_are_skipped_when_content_is_unreadable(kit: Any) -> None:
    """A file artifact without content, absent from the workspace, cannot be checked."""
    ctx = kit.ctx(artifacts=[FileArtifact(path="r.md")])
    result = await kit.check("sections", {"sections": ["Summary"]}, ctx)
    assert result.status == "skipped"
    assert "r.md (file) has no inline content" in result.message


def test_sections_must_not_be_empty() -> None:
    """An empty sections list can never fail, so it is rejected."""
    with pytest.raises(ConfigError, match="at least one"):
        validate_config("sections", {"sections": []})
