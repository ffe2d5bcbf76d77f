"""Authoring of the research benchmarks: web_research (10) and summarization (10).

web_research serves its corpus through the tools endpoint (the suite's ``tools:`` block):
the answers are fictional, so an agent must search; a ``must_use_tools`` check requires it.
summarization is checked deterministically: key facts present, a length window, and no
invented names or numbers (every capitalised word and every number must occur in the
source), the last by a program run in the sandbox.
"""

from __future__ import annotations

import re
from typing import Any

from _common import ANSWER_FORMAT, hidden_program, suite_dir, write_suite, write_text
from research_corpus import PAGES, QUESTIONS
from research_texts import SLOTS, key_facts, source

VERSION = "1.0"
MIN_WORDS, MAX_WORDS = 25, 110


def _answer_pattern(value: str) -> str:
    core = re.escape(value.removeprefix("the "))
    return rf"^\s*(?i:(the\s+)?{core})\s*\.?\s*$"


def web_research() -> None:
    """10 questions answered from the shipped corpus through the tools endpoint."""
    base = suite_dir("research", "web_research")
    for file, (title, prose, facts) in PAGES.items():
        listed = "\n".join(f"- {k}: {v}" for k, v in facts.items())
        write_text(base / "corpus" / file, f"# {title}\n\n{prose}\n\n## Facts\n\n{listed}\n")
    tests = []
    for test_id, entity, attribute, value in QUESTIONS:
        schema = {"type": "object", "required": ["answer"], "properties": {
            "answer": {"type": "string", "pattern": _answer_pattern(value)}}}
        tests.append({
            "id": test_id,
            "name": f"{attribute} of {entity.removeprefix('the ')}",
            "tags": ["search"],
            "task": {"description": (
                f'According to the document collection, what is the "{attribute}" of {entity}? '
                "Use the search and "
                "read_document tools at context.tools_endpoint (GET it to list the tools; POST "
                "{endpoint}/tools/{name} with a JSON input). Answer with the value as the "
                f"collection states it.\n\n{ANSWER_FORMAT}")},
            "constraints": {"timeout_seconds": 30},
            "assertions": [
                {"type": "must_use_tools", "config": {"tools": ["search"]}, "critical": True},
                {"type": "schema", "config": {"path": "answer", "schema": schema},
                 "critical": True},
            ],
        })
    write_suite("research", "web_research", version=VERSION, tests=tests,
                extra={"tools": {"search": {"documents": "corpus"}}},
                description="Answer factual questions about fictional entities by searching a "
                            "shipped document collection served at the tools endpoint.")


ENTITY_CHECK = '''
import re, sys
ALLOWED = set({allowed!r})
NUMBERS = set({numbers!r})
try:
    text = open("summary.md", encoding="utf-8").read()
except OSError as exc:
    print("no summary.md:", exc)
    raise SystemExit(1)
names = set(re.findall(r"\\b[A-Z][A-Za-z'-]+", text)) - ALLOWED
numbers = set(re.findall(r"\\d[\\d,]*", text)) - NUMBERS
numbers = {{n.rstrip(",") for n in numbers}} - NUMBERS
if names or numbers:
    print("invented:", sorted(names | numbers))
    raise SystemExit(1)
print("no invented names or numbers")
'''
STARTERS = ["The", "This", "It", "Its", "In", "A", "An", "After", "By", "At", "Founded",
            "Later", "Today", "Summary", "Then", "When", "They", "He", "She", "Since"]


def entity_check(text: str) -> dict[str, Any]:
    """A critical ``custom_command``: no capitalised word or number absent from ``text``."""
    allowed = sorted(set(re.findall(r"\b[A-Z][A-Za-z'-]+", text)) | set(STARTERS))
    numbers = sorted(set(re.findall(r"\d[\d,]*\d|\d", text)))
    program = ENTITY_CHECK.format(allowed=allowed, numbers=numbers)
    return {"type": "custom_command", "config": {"command": hidden_program(program),
                                                 "timeout": 20}, "critical": True}


def summarization() -> None:
    """10 reports to summarise into summary.md."""
    tests = []
    for i, slots in enumerate(SLOTS, start=1):
        text = source(slots)
        facts = [{"type": "file_contains", "config": {
            "path": "summary.md", "pattern": rf"(?i){re.escape(fact)}", "regex": True},
            "critical": True} for fact in key_facts(slots)]
        words = rf"\A\s*(?:\S+\s+){{{MIN_WORDS - 1},{MAX_WORDS - 1}}}\S+\s*\Z"
        tests.append({
            "id": f"sum-{i:03d}",
            "name": f"summarise the history of {slots[0]}",
            "tags": ["summary"],
            "task": {
                "description": (
                    f"Summarise the report in input_data.text in {MIN_WORDS} to {MAX_WORDS} "
                    "words of plain prose. Keep who founded it, when, what it is best known "
                    "for (with the yearly amount) and where it moved; invent nothing. Write "
                    "the summary to summary.md."),
                "input_data": {"text": text},
                "expected_artifacts": ["summary.md"],
            },
            "constraints": {"timeout_seconds": 30},
            "assertions": [
                {"type": "file_exists", "config": {"path": "summary.md"}, "critical": True},
                *facts,
                {"type": "file_contains", "config": {"path": "summary.md", "pattern": words,
                                                     "regex": True}, "critical": True},
                entity_check(text),
            ],
        })
    write_suite("research", "summarization", version=VERSION, tests=tests,
                description="Summarise short reports: key facts kept, length bounded, no "
                            "invented names or numbers.")


if __name__ == "__main__":
    web_research()
    summarization()
