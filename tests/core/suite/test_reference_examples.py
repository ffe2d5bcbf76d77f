"""Every YAML example in docs/suite-reference.md loads (or is rejected as it says)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from atp_core.errors import ConfigError, SuiteError
from atp_core.evaluators import evaluator_class
from atp_core.suite import load_suite_text

REFERENCE = Path(__file__).parents[3] / "docs" / "suite-reference.md"
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.DOTALL | re.MULTILINE)
REJECTED = re.compile(r"^# rejected: (?P<message>.*)$", re.MULTILINE)
WRAPPER = """\
test_suite: "reference example"
tests:
  - id: "t"
    name: "t"
    task: {description: "x"}
    assertions:
"""

EXAMPLES = BLOCK.findall(REFERENCE.read_text(encoding="utf-8"))


def as_suite(block: str) -> str:
    """A whole suite as is, or an assertion example placed inside a one-test suite."""
    if block.startswith("test_suite:"):
        return block
    return WRAPPER + textwrap.indent(block, " " * 6)


def assertion_type(block: str) -> str | None:
    """The type of an assertion example, if it is one."""
    match = re.search(r"^- type: (\w+)", block, re.MULTILINE)
    return match.group(1) if match and not block.startswith("test_suite:") else None


def test_reference_has_an_example_for_every_available_assertion_type() -> None:
    """Each registered assertion type has a YAML example in the reference."""
    from atp_core.evaluators import assertion_types

    documented = {assertion_type(b) for b in EXAMPLES}
    assert set(assertion_types()) <= documented


@pytest.mark.parametrize("block", EXAMPLES, ids=[f"example{i}" for i in range(len(EXAMPLES))])
def test_reference_example_loads(block: str, tmp_path: Path) -> None:
    """The example loads, or fails with exactly the message its comment announces."""
    type_ = assertion_type(block)
    rejected = REJECTED.search(block)
    if type_ is not None and rejected is None:
        try:
            evaluator_class(type_)
        except (ImportError, ConfigError) as exc:
            pytest.skip(f"evaluator for {type_!r} is not built in this tree yet: {exc}")
    text = as_suite(block)
    if rejected is None:
        load_suite_text(text, "example.yaml", tmp_path, env={})
        return
    with pytest.raises(SuiteError) as info:
        load_suite_text(text, "example.yaml", tmp_path, env={})
    assert [p.message for p in info.value.problems] == [rejected.group("message")]
