"""The tools a suite's ``tools:`` block offers: name, description, input schema, function."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from atp_core.protocol import ToolsSpec
from atp_core.tools._corpus import Corpus
from atp_core.tools._files import list_files, read_file


class ToolInputError(ValueError):
    """A tool was called with input that does not fit its schema."""


@attrs.frozen(kw_only=True)
class Tool:
    """One tool: ``call(input) -> output`` (JSON values), described for the agent."""

    name: str
    description: str
    params: Mapping[str, tuple[type, bool]]  # name -> (type, required)
    call: Callable[[dict[str, Any]], Any]

    def describe(self) -> dict[str, Any]:
        """The tool as the endpoint lists it, with a JSON Schema of its input."""
        names = {str: "string", int: "integer"}
        return {
            "name": self.name,
            "description": self.description,
            "input_schema": {
                "type": "object",
                "properties": {k: {"type": names[t]} for k, (t, _) in self.params.items()},
                "required": [k for k, (_, req) in self.params.items() if req],
                "additionalProperties": False,
            },
        }

    def check(self, data: object) -> dict[str, Any]:
        """``data`` as this tool's input; ``ToolInputError`` says what is wrong."""
        if not isinstance(data, dict):
            raise ToolInputError("the input must be a JSON object")
        unknown = sorted(set(data) - set(self.params))
        if unknown:
            raise ToolInputError(f"unknown input keys: {', '.join(unknown)}")
        for key, (kind, required) in self.params.items():
            if key not in data:
                if required:
                    raise ToolInputError(f"missing input key {key!r}")
            elif type(data[key]) is not kind:
                raise ToolInputError(f"input {key!r} must be a {kind.__name__}")
        return data


def build_tools(spec: ToolsSpec) -> dict[str, Tool]:
    """The tools ``spec`` declares, by name."""
    tools: list[Tool] = []
    if spec.search is not None:
        corpus = Corpus.load(Path(spec.search.documents))
        tools += [
            Tool(name="search", description="Search the document collection; returns the best "
                 "matches with path, title, snippet and score.",
                 params={"query": (str, True), "limit": (int, False)},
                 call=lambda i: corpus.search(i["query"], max(1, min(i.get("limit", 5), 50)))),
            Tool(name="read_document", description="The full text of a document found by "
                 "search, by its path.", params={"path": (str, True)},
                 call=lambda i: {"path": i["path"], "content": corpus.read(i["path"])}),
        ]
    if spec.files is not None:
        root = Path(spec.files.root)
        tools += [
            Tool(name="read_file", description="The text of a file, by its relative path.",
                 params={"path": (str, True)}, call=lambda i: read_file(root, i["path"])),
            Tool(name="list_files", description="Every file under a directory ('.' by default).",
                 params={"path": (str, False)},
                 call=lambda i: list_files(root, i.get("path", "."))),
        ]
    return {tool.name: tool for tool in tools}
