"""What code inside the bwrap sandbox can see and touch: the workspace, and nothing else."""

from __future__ import annotations

import socket
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from atp_core.sandbox import SandboxOptions, run_sandboxed

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox, pytest.mark.usefixtures("bwrap_ready")]

BWRAP = SandboxOptions(mode="bwrap")
NONE = SandboxOptions(mode="none")


def python(code: str) -> list[str]:
    """A command that runs ``code`` with the interpreter running the tests."""
    return [sys.executable, "-c", code]


CONNECT = """
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3).close()
    print("connected")
except OSError as exc:
    print("refused", exc)
"""


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.accepted = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A loopback TCP server, closed after the test."""
    server = Listener()
    yield server
    server.close()


async def test_code_cannot_connect_to_a_server_on_loopback(
    workspace: Path, listener: Listener
) -> None:
    """The sandbox has no network: a server on the host's 127.0.0.1 is out of reach."""
    argv = [*python(CONNECT), str(listener.port)]
    result = await run_sandboxed(argv, workspace=workspace, options=BWRAP, timeout=20)
    assert result.stdout.startswith("refused"), result
    assert listener.accepted == 0
    control = await run_sandboxed(argv, workspace=workspace, options=NONE, timeout=20)
    assert control.stdout.startswith("connected"), control
    assert listener.accepted == 1


READ = """
import sys
for path in sys.argv[1:]:
    try:
        open(path).read()
        print("read", path)
    except OSError as exc:
        print("denied", path, type(exc).__name__)
"""


async def test_code_cannot_read_shadow_or_host_files(workspace: Path) -> None:
    """/etc/shadow and a host file next to the workspace are invisible inside."""
    secret = workspace.parent / "host" / "secret.txt"
    secret.write_text("s3cret")
    argv = [*python(READ), "/etc/shadow", str(secret)]
    result = await run_sandboxed(argv, workspace=workspace, options=BWRAP, timeout=20)
    assert result.stdout.splitlines() == [
        "denied /etc/shadow FileNotFoundError",
        f"denied {secret} FileNotFoundError",
    ]
    control = await run_sandboxed(argv, workspace=workspace, options=NONE, timeout=20)
    assert f"read {secret}" in control.stdout


WRITE = """
import sys
for path in sys.argv[1:]:
    try:
        with open(path, "w") as f:
            f.write("x")
        print("wrote", path)
    except OSError as exc:
        print("denied", path, type(exc).__name__)
"""


async def test_writes_outside_the_workspace_never_reach_the_host(workspace: Path) -> None:
    """Only the workspace is writable; the sandbox's /tmp is private and the system read-only."""
    in_tmp = Path("/tmp") / f"atp-sandbox-test-{uuid.uuid4().hex}"
    outside = workspace.parent / "host" / "planted.txt"
    inside = workspace / "made.txt"
    in_python = Path(sys.prefix) / "planted.txt"
    argv = [*python(WRITE), str(in_tmp), str(outside), str(inside), str(in_python)]
    result = await run_sandboxed(argv, workspace=workspace, options=BWRAP, timeout=20)
    lines = result.stdout.splitlines()
    assert f"wrote {in_tmp}" in lines
    assert f"wrote {inside}" in lines
    assert lines[1].startswith(f"denied {outside}")
    assert lines[3].startswith(f"denied {in_python}")
    assert inside.read_text() == "x"
    assert not in_tmp.exists()
    assert not outside.exists()
    assert not in_python.exists()


async def test_code_runs_as_nobody_without_capabilities(workspace: Path) -> None:
    """Inside, the uid is 65534, no capability is held and /usr cannot be remounted writable."""
    script = "id -u; grep CapEff /proc/self/status; mount -o remount,rw /usr && echo remounted"
    result = await run_sandboxed(
        ["sh", "-c", script], workspace=workspace, options=BWRAP, timeout=20
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "65534"
    assert lines[1].split() == ["CapEff:", "0000000000000000"]
    assert "remounted" not in result.stdout
    assert result.exit_code != 0


async def test_command_runs_in_the_workspace_with_only_the_given_environment(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The working directory is the workspace and ATP's own environment is not passed on."""
    monkeypatch.setenv("ATP_TEST_SECRET", "hunter2")
    code = "import os; print(os.getcwd()); print(sorted(os.environ))"
    result = await run_sandboxed(
        python(code), workspace=workspace, options=BWRAP, timeout=20, env={"GIVEN": "1"}
    )
    cwd, names = result.stdout.splitlines()
    assert cwd == str(workspace)
    assert "GIVEN" in names
    assert "ATP_TEST_SECRET" not in names
    assert "hunter2" not in result.stdout
