"""The complete agents in docs/writing-agents.md work as printed, over their transports."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import pytest

from atp_core.adapters._cli import CliAdapter
from atp_core.adapters._http import HttpAdapter
from atp_core.adapters._python import PythonAdapter
from atp_core.adapters._registry import build_config
from atp_core.errors import AgentUnreachable
from atp_core.protocol import StructuredArtifact

if TYPE_CHECKING:
    from conftest import RecordingSink, RequestFactory

GUIDE = Path(__file__).parents[3] / "docs" / "writing-agents.md"
BLOCK = re.compile(r"```\w+\n(.*?)```", re.DOTALL)
NAME = re.compile(r"^(?:#|//) file: (\S+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every code block of the guide that names a file, written to a directory on sys.path."""
    root = tmp_path_factory.mktemp("examples")
    for block in BLOCK.findall(GUIDE.read_text()):
        head = "\n".join(block.splitlines()[:2])
        if match := NAME.search(head):
            (root / match[1]).write_text(block)
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))
    sys.modules.pop("my_agents", None)


def cli(command: str, script: Path) -> CliAdapter:
    """A cli adapter running ``command script``."""
    return CliAdapter(build_config("cli", {"command": command, "args": [str(script)]}))


def needs(tool: str) -> str:
    """The path of ``tool``, or skip the test saying it is missing."""
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed; the guide's {tool} example is unchecked")
    return path


@pytest.mark.anyio
async def test_python_stdio_example(
    examples: Path, make_request: RequestFactory, sink: RecordingSink, workspace: Path
) -> None:
    """word_agent.py writes count.txt in the workspace and reports the tool call."""
    request = make_request("one two three", workspace)
    response = await cli(sys.executable, examples / "word_agent.py").execute(request, sink)
    assert (workspace / "count.txt").read_text() == "3\n"
    assert response.artifacts[1] == StructuredArtifact(name="count", data={"words": 3})
    assert [e.payload["tool"] for e in sink.events] == ["write_file"]
    assert sink.warnings == []


@pytest.mark.anyio
async def test_node_stdio_example(
    examples: Path, make_request: RequestFactory, sink: RecordingSink
) -> None:
    """agent.mjs answers with the description in upper case."""
    node = needs("node")
    response = await cli(node, examples / "agent.mjs").execute(make_request("hey"), sink)
    assert response.artifacts[0].content == "HEY"  # type: ignore[union-attr]
    assert [e.event_type for e in sink.events] == ["reasoning"]


@pytest.mark.anyio
async def test_bash_jq_stdio_example(
    examples: Path, make_request: RequestFactory, sink: RecordingSink
) -> None:
    """agent.sh counts characters with jq."""
    needs("jq")
    response = await cli(needs("bash"), examples / "agent.sh").execute(make_request("abcd"), sink)
    assert response.artifacts[0] == StructuredArtifact(name="length", data={"characters": 4})
    assert [e.event_type for e in sink.events] == ["progress"]


@pytest.fixture
def http_example(examples: Path) -> Iterator[str]:
    """http_agent.py running as a server on a free port; yields its endpoint."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, str(examples / "http_agent.py"), str(port)])
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.kill()
        server.wait()


@pytest.mark.anyio
async def test_python_http_example(
    http_example: str, make_request: RequestFactory, sink: RecordingSink
) -> None:
    """http_agent.py streams NDJSON: a progress event, then the response."""
    config = build_config("http", {"endpoint": http_example, "health_endpoint": "/health"})
    async with HttpAdapter(config) as http:
        with anyio.fail_after(10):
            while True:
                try:
                    await http.health()
                    break
                except AgentUnreachable:
                    await anyio.sleep(0.05)
        response = await http.execute(make_request("abc"), sink)
    assert response.artifacts[0] == StructuredArtifact(name="reversed", data={"text": "cba"})
    assert [e.event_type for e in sink.events] == ["progress"]


@pytest.mark.anyio
@pytest.mark.parametrize(("target", "events"), [("answer", []), ("stream", ["reasoning"])])
async def test_in_process_examples(
    examples: Path,
    make_request: RequestFactory,
    sink: RecordingSink,
    target: str,
    events: list[str],
) -> None:
    """my_agents.answer (a plain function) and my_agents.stream (an async generator) work."""
    config = build_config("python", {"target": f"my_agents:{target}"})
    response = await PythonAdapter(config).execute(make_request("x"), sink)
    assert response.status == "completed"
    assert [e.event_type for e in sink.events] == events
