"""The YAML examples in docs/assertions.md load as valid assertions."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from atp_core.evaluators import validate_config

DOC = Path(__file__).resolve().parents[3] / "docs" / "assertions.md"


def doc_assertions() -> list[dict[str, Any]]:
    """Every assertion in the page's YAML blocks."""
    out: list[dict[str, Any]] = []
    for block in re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL):
        data = YAML(typ="safe").load(io.StringIO(block))
        out.extend(data["assertions"] if isinstance(data, dict) else data)
    return out


def test_every_documented_example_is_a_valid_assertion() -> None:
    """Each example validates, and every type documented here has an example."""
    examples = doc_assertions()
    for item in examples:
        assert set(item) <= {"type", "config", "critical", "weight"}, item
        validate_config(item["type"], item.get("config", {}))
    documented = {item["type"] for item in examples}
    assert documented >= {
        "artifact_exists",
        "contains",
        "schema",
        "sections",
        "behavior",
        "must_use_tools",
        "forbidden_tools",
        "min_tool_calls",
        "max_tool_calls",
        "no_errors",
        "file_exists",
        "file_not_exists",
        "dir_exists",
        "file_contains",
        "file_count",
        "composite",
    }
