"""The built-in agents' behaviour, called directly."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from atp_core.agents import AGENTS, builtin_spec, parse_params, resolve_agent
from atp_core.agents._core import Crash, Flood, Garbage
from atp_core.errors import ConfigError
from atp_core.protocol import AgentSpec, FileArtifact, StructuredArtifact

if TYPE_CHECKING:
    from conftest import RequestFactory, Runner

SCRIPT = "<script>alert(1)</script>"


def test_catalogue_names() -> None:
    """Every agent the brief names is in the catalogue, with a description."""
    assert sorted(AGENTS) == sorted(
        [
            "echo",
            "file-ops",
            "calculator",
            "flaky",
            "hang",
            "crash",
            "garbage",
            "flood",
            "html-injector",
            "ref-trivial",
            "ref-cheater",
            "ref-solver",
        ]
    )
    assert all(info.description for info in AGENTS.values())


@pytest.mark.anyio
async def test_echo_returns_the_task(make_request: RequestFactory, run: Runner) -> None:
    """echo answers with the description and input data, and no events."""
    events, response = await run("echo", make_request("hi", input_data={"k": 1}))
    assert events == []
    assert response.artifacts[0] == StructuredArtifact(
        name="echo", data={"description": "hi", "input_data": {"k": 1}}
    )
    assert response.metrics.total_steps == 1


@pytest.mark.anyio
async def test_file_ops_writes_each_file_with_a_tool_call(
    make_request: RequestFactory, run: Runner, workspace: Path
) -> None:
    """Instructions in prose and input_data.files are written and returned, one tool_call each."""
    request = make_request(
        'Create hello.txt with content "Hello, World!\\n"; '
        "create a file named b/c.txt containing: C",
        workspace,
        input_data={"files": {"data.json": {"x": 1}}},
    )
    events, response = await run("file-ops", request)
    assert (workspace / "hello.txt").read_text() == "Hello, World!\n"
    assert (workspace / "b" / "c.txt").read_text() == "C"
    assert (workspace / "data.json").read_text() == '{"x": 1}'
    calls = [e.payload for e in events if e.event_type == "tool_call"]
    assert [c["input"]["path"] for c in calls] == ["data.json", "hello.txt", "b/c.txt"]
    assert {c["tool"] for c in calls} == {"write_file"}
    assert {c["status"] for c in calls} == {"success"}
    assert all(c["duration_ms"] >= 0 for c in calls)
    assert [a.path for a in response.artifacts if isinstance(a, FileArtifact)] == [
        "data.json",
        "hello.txt",
        "b/c.txt",
    ]
    metrics = response.metrics
    assert (metrics.tool_calls, metrics.total_steps) == (3, 4)
    assert metrics.total_tokens == metrics.input_tokens + metrics.output_tokens  # type: ignore[operator]
    assert metrics.cost_usd == pytest.approx(metrics.total_tokens * 0.000002)


@pytest.mark.anyio
async def test_file_ops_refuses_paths_outside_the_workspace(
    make_request: RequestFactory, run: Runner, workspace: Path
) -> None:
    """An escaping path is a failed tool call; the other files are still written (partial)."""
    request = make_request(
        "create ../evil.txt with content x\ncreate ok.txt with content y", workspace
    )
    events, response = await run("file-ops", request)
    assert not (workspace.parent / "evil.txt").exists()
    assert (workspace / "ok.txt").read_text() == "y"
    assert [e.payload["status"] for e in events if e.event_type == "tool_call"] == [
        "error",
        "success",
    ]
    assert response.status == "partial"
    assert "../evil.txt" in (response.error or "")


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("description", "with_workspace", "error"),
    [
        ("do nothing", True, "no file instructions"),
        ("create a.txt with content x", False, "workspace_path"),
    ],
)
async def test_file_ops_fails_clearly(
    make_request: RequestFactory,
    run: Runner,
    workspace: Path,
    description: str,
    with_workspace: bool,
    error: str,
) -> None:
    """No instructions, or no workspace to write to, is a failed response saying why."""
    _, response = await run(
        "file-ops", make_request(description, workspace if with_workspace else None)
    )
    assert response.status == "failed"
    assert error in (response.error or "")


@pytest.mark.anyio
async def test_calculator_answers_and_explains(make_request: RequestFactory, run: Runner) -> None:
    """The calculator emits reasoning and a calculator tool call, and answers in two forms."""
    events, response = await run(
        "calculator", make_request("x", input_data={"expression": "9 / 4"})
    )
    assert [e.event_type for e in events] == ["reasoning", "tool_call", "reasoning"]
    assert events[1].payload["output"] == {"result": 2.25}
    assert response.artifacts[0] == StructuredArtifact(name="answer", data={"answer": 2.25})
    assert response.artifacts[1].content == "2.25"  # type: ignore[union-attr]


@pytest.mark.anyio
async def test_calculator_fails_on_bad_arithmetic(
    make_request: RequestFactory, run: Runner
) -> None:
    """Division by zero is a failed tool call and a failed response."""
    events, response = await run("calculator", make_request("What is 1 / 0?"))
    assert events[-1].payload["status"] == "error"
    assert response.status == "failed"
    assert "division by zero" in (response.error or "")


@pytest.mark.anyio
async def test_flaky_is_reproducible_yet_varies_by_run(
    make_request: RequestFactory, run: Runner
) -> None:
    """The same (seed, test, run) gives the same outcome; runs and seeds differ."""

    async def outcomes(seed: int) -> list[str]:
        statuses = []
        for number in range(1, 21):
            _, response = await run("flaky", make_request("x", run_number=number), seed=seed)
            statuses.append(response.status)
        return statuses

    first = await outcomes(seed=1)
    assert first == await outcomes(seed=1)
    assert set(first) == {"completed", "failed"}
    assert first != await outcomes(seed=2)


@pytest.mark.anyio
@pytest.mark.parametrize(("rate", "status"), [(0.0, "completed"), (1.0, "failed")])
async def test_flaky_extremes(
    make_request: RequestFactory, run: Runner, rate: float, status: str
) -> None:
    """failure_rate 0 always succeeds like echo; 1 always fails with an error event."""
    events, response = await run("flaky", make_request("x"), failure_rate=rate)
    assert response.status == status
    assert [e.event_type for e in events] == ([] if rate == 0 else ["error"])


@pytest.mark.anyio
async def test_html_injector_puts_script_everywhere(
    make_request: RequestFactory, run: Runner
) -> None:
    """Artifacts and every event payload carry a <script> tag."""
    events, response = await run("html-injector", make_request("x"))
    assert all(SCRIPT in str(e.payload) for e in events)
    assert SCRIPT in (response.artifacts[0].content or "")  # type: ignore[union-attr]
    assert SCRIPT in str(response.artifacts[1].data)  # type: ignore[union-attr]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("name", "signal"), [("crash", Crash), ("garbage", Garbage), ("flood", Flood)]
)
async def test_misbehaving_agents_raise_their_signal(
    make_request: RequestFactory, run: Runner, name: str, signal: type[Exception]
) -> None:
    """Each misbehaving agent hands its misbehaviour to the transport as an exception."""
    with pytest.raises(signal):
        await run(name, make_request("x"))


def test_unknown_agents_and_params_are_refused() -> None:
    """Typos in agent or parameter names are config errors naming what is accepted."""
    with pytest.raises(ConfigError, match="known: calculator"):
        resolve_agent("ecko")
    with pytest.raises(ConfigError, match="accepted: failure_rate, seed"):
        resolve_agent("flaky", {"failure": 1})
    assert resolve_agent("flaky", {"seed": 4})[1] == {"failure_rate": 0.5, "seed": 4}


def test_builtin_spec_for_each_transport() -> None:
    """builtin_spec targets the in-process entry, the stdio module, or a served endpoint."""
    assert builtin_spec("flaky", seed=3) == AgentSpec(
        name="builtin-flaky",
        type="python",
        config={"target": "atp_core.agents.entry:run", "kwargs": {"agent": "flaky", "seed": 3}},
    )
    cli = builtin_spec("flaky", "cli", options={"timeout_seconds": 5}, failure_rate=0.25)
    assert cli.config == {
        "command": sys.executable,
        "args": ["-m", "atp_core.agents", "stdio", "flaky", "--param", "failure_rate=0.25"],
        "timeout_seconds": 5,
    }
    assert builtin_spec("echo", "http", endpoint="http://h/").config == {"endpoint": "http://h/"}


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("echo", "http"), {}),
        (("echo", "http", "http://h/"), {"seed": 1}),
        (("echo", "cli", "http://h/"), {}),
        (("echo", "smoke-signals"), {}),
    ],
)
def test_builtin_spec_refuses_inconsistent_requests(
    args: tuple[str, ...], kwargs: dict[str, int]
) -> None:
    """http needs an endpoint and takes no params; other transports take no endpoint."""
    with pytest.raises(ConfigError):
        builtin_spec(*args, **kwargs)


def test_params_are_read_as_json_or_text() -> None:
    """--param values parse as JSON when they can, else stay text."""
    assert parse_params(["a=1", "b=0.5", 'c="x"', "d=hello", "e=[1]"]) == {
        "a": 1,
        "b": 0.5,
        "c": "x",
        "d": "hello",
        "e": [1],
    }
    with pytest.raises(ConfigError):
        parse_params(["novalue"])
