"""The smaller commands: schema, config show, list, agent list|serve|stdio, builtin agents."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import jsonschema

SUITE = """\
test_suite: "small"
agents:
  - {name: "echo", type: "python", config: {target: "atp_core.agents.entry:run",
                                            kwargs: {agent: "echo"}}}
tests:
  - {id: "a", name: "first", tags: ["smoke"], task: {description: "hi"},
     assertions: [{type: "contains", config: {pattern: "hi"}}]}
  - {id: "b", name: "second", tags: ["slow"], task: {description: "yo"},
     assertions: [{type: "contains", config: {pattern: "yo"}}]}
"""


def test_schema_kinds_are_valid_json_schemas(atp) -> None:
    """Each ``atp schema`` kind prints a draft 2020-12 schema that checks as a schema."""
    for kind in ("protocol", "suite", "config", "report"):
        out = atp("schema", kind)
        assert out.returncode == 0, out.stderr
        schema = json.loads(out.stdout)
        jsonschema.Draft202012Validator.check_schema(schema)


def test_suite_schema_knows_the_assertion_types(atp) -> None:
    """The suite schema's assertion type is an enum of the available types."""
    text = atp("schema", "suite").stdout
    assert '"contains"' in text
    assert '"behavior"' in text


def test_config_show_masks_secrets_and_applies_layers(atp, tmp_path: Path) -> None:
    """A secret from atp.config.yaml is masked; an ATP_* variable beats the file."""
    (tmp_path / "atp.config.yaml").write_text(
        "runner: {parallel: 3}\nweb: {token: sk-proj-shown-never-123}\n")
    out = atp("config", "show", env={"ATP_RUNNER__PARALLEL": "7"})
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["runner"]["parallel"] == 7
    assert "sk-proj-shown-never-123" not in out.stdout


def test_list_filters_by_tags(atp, tmp_path: Path) -> None:
    """``atp list --tags`` shows only matching tests."""
    (tmp_path / "s.yaml").write_text(SUITE)
    out = atp("list", "s.yaml", "--tags", "smoke")
    assert out.returncode == 0, out.stderr
    assert "first" in out.stdout
    assert "second" not in out.stdout
    assert "1 of 2 tests" in out.stdout


def test_run_with_tag_filter_runs_only_matching_tests(atp, tmp_path: Path) -> None:
    """``--tags`` selects the tests that run."""
    (tmp_path / "s.yaml").write_text(SUITE)
    out = atp("run", "s.yaml", "--tags", "not slow", "--no-store", "--no-progress",
              "--report", "json:r.json")
    assert out.returncode == 0, out.stderr
    tests = json.loads((tmp_path / "r.json").read_text())["suite_run"]["tests"]
    assert [t["test_id"] for t in tests] == ["a"]


def test_builtin_agent_over_each_transport(atp, tmp_path: Path) -> None:
    """``--agent builtin:NAME:TRANSPORT`` runs a built-in agent in-process and over stdio."""
    (tmp_path / "s.yaml").write_text(SUITE)
    for agent in ("builtin:echo", "builtin:echo:cli"):
        out = atp("run", "s.yaml", "--agent", agent, "--no-store", "--no-progress")
        assert out.returncode == 0, out.stderr


def test_agent_serve_answers_over_http_and_stdio_answers_once(atp, tmp_path: Path) -> None:
    """``atp agent serve`` serves /health and requests; ``atp agent stdio`` answers stdin."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "atp_cli", "agent", "serve", "calculator",
                             "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        request = {"version": "1.0", "task_id": "t1", "task": {"description": "2 + 2 * 3"}}
        reply = httpx.post(url, json=request).json()
        assert reply["status"] == "completed"
        assert {"type": "structured", "name": "answer", "data": {"answer": 8},
                "content_type": None} in reply["artifacts"] or "8" in json.dumps(reply)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    out = subprocess.run([sys.executable, "-m", "atp_cli", "agent", "stdio", "echo"],
                         input=json.dumps({"task_id": "t2", "task": {"description": "hey"}}),
                         capture_output=True, text=True, timeout=30, check=False)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["task_id"] == "t2"


def test_agent_list_names_every_builtin(atp) -> None:
    """``atp agent list`` lists the built-in agents."""
    out = atp("agent", "list")
    for name in ("echo", "file-ops", "calculator", "flaky", "hang", "crash", "garbage",
                 "flood", "html-injector"):
        assert name in out.stdout


def test_tag_filter_matching_nothing_is_exit_2(atp, tmp_path: Path) -> None:
    """Selecting no test is a command-line error, not a green run."""
    (tmp_path / "s.yaml").write_text(SUITE)
    out = atp("run", "s.yaml", "--tags", "nightly", "--no-store")
    assert out.returncode == 2
    assert "matches --tags" in out.stderr


FAILING = """\
test_suite: "ff"
agents:
  - {name: "files", type: "python", config: {target: "atp_core.agents.entry:run",
                                             kwargs: {agent: "file-ops"}}}
tests:
  - {id: "a", name: "fails", task: {description: "Create a.txt with content x"},
     assertions: [{type: "file_contains", config: {path: "a.txt", pattern: "nope"}}]}
  - {id: "b", name: "b", task: {description: "Create b.txt with content y"},
     assertions: [{type: "file_exists", config: {path: "b.txt"}}]}
  - {id: "c", name: "c", task: {description: "Create c.txt with content z"},
     assertions: [{type: "file_exists", config: {path: "c.txt"}}]}
"""


def test_fail_fast_stops_after_the_first_failed_test(atp, tmp_path: Path) -> None:
    """--fail-fast with one run at a time stops scheduling after the failing test."""
    (tmp_path / "s.yaml").write_text(FAILING)
    out = atp("run", "s.yaml", "--fail-fast", "--parallel", "1", "--no-store",
              "--no-progress", "--report", "json:r.json")
    assert out.returncode == 1
    run = json.loads((tmp_path / "r.json").read_text())["suite_run"]
    assert run["status"] == "stopped_early"
    assert [t["test_id"] for t in run["tests"]] == ["a"]


def test_keep_workspaces_keeps_the_files_agents_wrote(atp, tmp_path: Path) -> None:
    """--keep-workspaces leaves each run's workspace, under --workspace-root, not in cwd."""
    (tmp_path / "s.yaml").write_text(FAILING)
    root = tmp_path / "ws"
    out = atp("run", "s.yaml", "--keep-workspaces", "--workspace-root", str(root),
              "--no-store", "--no-progress", "--tags", "", "--parallel", "2")
    assert out.returncode == 1, out.stderr
    written = sorted(p.name for p in root.rglob("*.txt"))
    assert written == ["a.txt", "b.txt", "c.txt"]
    assert not list(tmp_path.glob("*.txt"))


SEARCHER = '''
import httpx
from atp_core.protocol import Response, StructuredArtifact

def answer(request):
    endpoint = request.context.tools_endpoint
    found = httpx.post(endpoint + "/tools/search", json={"query": "capital"}).json()
    return Response(task_id=request.task_id, status="completed",
                    artifacts=[StructuredArtifact(name="found", data=found)])
'''


def test_suite_tools_are_served_to_the_agent_and_traced(atp, tmp_path: Path) -> None:
    """A suite's tools: block is served during atp run; each call is a tool_call event."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "paris.txt").write_text("Paris is the capital of France.")
    (tmp_path / "searcher.py").write_text(SEARCHER)
    (tmp_path / "s.yaml").write_text("""\
test_suite: "tools"
tools: {search: {documents: "corpus"}}
agents: [{name: "s", type: "python", config: {target: "searcher:answer"}}]
tests:
  - id: "q"
    name: "search"
    task: {description: "find the capital"}
    assertions:
      - {type: "contains", config: {pattern: "paris"}}
      - {type: "must_use_tools", config: {tools: ["search"]}}
""")
    out = atp("run", "s.yaml", "--no-store", "--no-progress", "--report", "json:r.json")
    assert out.returncode == 0, out.stdout + out.stderr
    run = json.loads((tmp_path / "r.json").read_text())["suite_run"]["tests"][0]["runs"][0]
    calls = [e for e in run["events"] if e["event_type"] == "tool_call"]
    assert [c["payload"]["tool"] for c in calls] == ["search"]


def test_config_default_timeout_applies_when_the_suite_sets_none(atp, tmp_path: Path) -> None:
    """runner.default_timeout is the deadline of a test whose suite sets no timeout."""
    (tmp_path / "s.yaml").write_text("""\
test_suite: "slow"
agents: [{name: "h", type: "python", config: {target: "atp_core.agents.entry:run",
                                              kwargs: {agent: "hang"}}}]
tests:
  - {id: "t", name: "t", task: {description: "x"}, assertions: [{type: "no_errors", config: {}}]}
""")
    out = atp("run", "s.yaml", "--no-store", "--no-progress", "--config",
              "runner.default_timeout=1", "--report", "json:r.json")
    assert out.returncode == 1, out.stderr
    run = json.loads((tmp_path / "r.json").read_text())["suite_run"]["tests"][0]["runs"][0]
    assert run["error_kind"] == "timeout"
    assert run["duration_seconds"] < 30, "the 1 s default deadline applied, not 120 s"
