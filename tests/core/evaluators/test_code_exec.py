"""pytest, custom_command and lint checks, run for real inside the sandbox on small workspaces."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import anyio
import pytest

from atp_core.errors import ConfigError
from atp_core.evaluators import build_evaluator, validate_config
from atp_core.protocol import (
    AssertionSpec,
    CheckResult,
    EvalContext,
    Request,
    Response,
    SandboxOptions,
    Task,
    TaskSpec,
)
from atp_core.protocol import TestCase as Case
from atp_core.sandbox import probe_sandbox

pytestmark = pytest.mark.anyio

PASSING = "def test_one():\n    assert 1 + 1 == 2\n"
FAILING = "def test_two():\n    assert 1 + 1 == 3\n"


@pytest.fixture(scope="module")
def bwrap_ready() -> None:
    """Skip (with the probe's reason) when bubblewrap truly cannot run here."""
    probe = anyio.run(probe_sandbox)
    if probe.bwrap_problem is not None:
        if os.environ.get("ATP_REQUIRE_SERVICES"):
            pytest.fail(f"bwrap cannot run here and CI requires it: {probe.bwrap_problem}")
        pytest.skip(f"bwrap cannot run here: {probe.bwrap_problem}")


def write(root: Path, files: dict[str, str]) -> Path:
    """Create ``files`` (relative path → text) under ``root``."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


async def check(
    workspace: Path, type_name: str, config: dict[str, Any], mode: str = "bwrap"
) -> CheckResult:
    """Evaluate one assertion of ``type_name`` on a run whose workspace is ``workspace``."""
    test = Case(id="t", name="t", task=TaskSpec(description="d"))
    ctx = EvalContext(
        test=test,
        request=Request(task_id="t-1", task=Task(description="d")),
        response=Response(task_id="t-1", status="completed"),
        events=(),
        workspace=workspace,
        sandbox=SandboxOptions(mode=mode),
    )
    return await build_evaluator(AssertionSpec(type=type_name, config=config)).evaluate(ctx)


@pytest.mark.sandbox
@pytest.mark.usefixtures("bwrap_ready")
class TestPytest:
    """The pytest check."""

    async def test_all_tests_passing_passes_with_full_score(self, tmp_path: Path) -> None:
        """Two passing tests give pass rate 1.0 and leave no report file behind."""
        ws = write(tmp_path, {"tests/test_a.py": PASSING, "tests/test_b.py": PASSING})
        result = await check(ws, "pytest", {"path": "tests"})
        assert (result.status, result.score) == ("passed", 1.0), result.message
        assert result.details["passed"] == 2
        assert not list(ws.glob(".atp-pytest-*"))

    async def test_pass_rate_is_compared_with_the_threshold(self, tmp_path: Path) -> None:
        """One of two tests failing is a 0.5 score: enough for 0.5, not for the default 1.0."""
        ws = write(tmp_path, {"test_mixed.py": PASSING + FAILING})
        lenient = await check(ws, "pytest", {"threshold": 0.5})
        strict = await check(ws, "pytest", {})
        assert (lenient.status, lenient.score) == ("passed", 0.5)
        assert (strict.status, strict.score) == ("failed", 0.5)
        assert "1/2 tests passed" in strict.message

    async def test_no_tests_collected_never_passes(self, tmp_path: Path) -> None:
        """A workspace without tests fails with the reason, even with threshold 0."""
        ws = write(tmp_path, {"module.py": "x = 1\n"})
        result = await check(ws, "pytest", {"threshold": 0.0})
        assert (result.status, result.message) == ("failed", "no tests collected")

    async def test_only_skipped_tests_never_pass(self, tmp_path: Path) -> None:
        """Tests that all skip decide nothing, so the check fails."""
        skip = "import pytest\n\n@pytest.mark.skip(reason='x')\ndef test_s():\n    pass\n"
        result = await check(write(tmp_path, {"test_s.py": skip}), "pytest", {})
        assert result.status == "failed"
        assert result.message == "no tests ran (1 skipped)"

    async def test_a_test_file_that_does_not_import_fails(self, tmp_path: Path) -> None:
        """A collection error stops pytest and counts as a failing test."""
        ws = write(tmp_path, {"test_ok.py": PASSING, "test_broken.py": "def test_x(:\n"})
        result = await check(ws, "pytest", {"threshold": 0.0})
        assert (result.status, result.score) == ("failed", 0.0)
        assert result.message.endswith("pytest was interrupted (collection errors)")

    async def test_a_hanging_test_fails_at_the_timeout(self, tmp_path: Path) -> None:
        """A test sleeping past the check's timeout is killed and the check fails."""
        hang = "import time\n\ndef test_hang():\n    time.sleep(60)\n"
        result = await check(write(tmp_path, {"test_h.py": hang}), "pytest", {"timeout": 3})
        assert result.status == "failed"
        assert result.message == "pytest timed out after 3 s"

    async def test_a_missing_path_fails(self, tmp_path: Path) -> None:
        """Pointing at tests the workspace does not have fails the check."""
        result = await check(tmp_path, "pytest", {"path": "tests"})
        assert (result.status, result.message) == (
            "failed", "path 'tests' does not exist in the workspace"
        )

    async def test_a_report_swapped_for_a_symlink_is_not_followed(self, tmp_path: Path) -> None:
        """Code under test that replaces the report with a link to a host file gets an error."""
        swap = (
            "import os\n\ndef pytest_unconfigure(config):\n"
            "    os.unlink(config.option.xmlpath)\n"
            "    os.symlink('/etc/shadow', config.option.xmlpath)\n"
        )
        ws = write(tmp_path, {"conftest.py": swap, "test_a.py": PASSING})
        result = await check(ws, "pytest", {})
        assert result.status == "error"
        assert result.message == "pytest left no readable report (exit status 0)"
        assert not list(ws.glob(".atp-pytest-*"))

    async def test_tests_run_inside_the_sandbox(self, tmp_path: Path) -> None:
        """The tests run as nobody with the workspace as working directory."""
        probe = (
            "import os\n\ndef test_where():\n"
            f"    assert os.getuid() == 65534\n    assert os.getcwd() == {str(tmp_path)!r}\n"
        )
        result = await check(write(tmp_path, {"test_where.py": probe}), "pytest", {})
        assert result.status == "passed", result.details["stdout"]
        assert result.details["sandbox"] == "bwrap"


async def test_an_unusable_sandbox_is_an_error_never_a_pass(tmp_path: Path) -> None:
    """When the sandbox cannot be used the check's status is error, with the reason."""
    ws = write(tmp_path, {"test_a.py": PASSING})
    for type_name, config in [("pytest", {}), ("custom_command", {"command": "true"}),
                              ("lint", {})]:
        result = await check(ws, type_name, config, mode="bogus")
        assert result.status == "error"
        assert "sandbox unavailable: unknown sandbox mode 'bogus'" in result.message


@pytest.mark.sandbox
@pytest.mark.usefixtures("bwrap_ready")
class TestCustomCommand:
    """The custom_command check."""

    async def test_exit_status_decides_by_default(self, tmp_path: Path) -> None:
        """Exit status 0 passes, anything else fails and says which status it was."""
        ok = await check(tmp_path, "custom_command", {"command": "true"})
        bad = await check(tmp_path, "custom_command", {"command": "sh -c 'exit 4'"})
        assert (ok.status, ok.score) == ("passed", 1.0)
        assert (bad.status, bad.message) == ("failed", "exit status 4, expected 0")

    async def test_command_is_split_like_a_shell_but_run_without_one(
        self, tmp_path: Path
    ) -> None:
        """Quotes group words; $VARS and pipes reach the program literally."""
        result = await check(tmp_path, "custom_command", {
            "command": "echo 'two words' $HOME '|' wc", "success_pattern": r"^two words \$HOME",
        })
        assert result.status == "passed", result.details["stdout"]
        assert result.details["stdout"] == "two words $HOME | wc\n"

    async def test_success_pattern_must_match_stdout(self, tmp_path: Path) -> None:
        """A pattern that does not match fails even with exit status 0."""
        result = await check(tmp_path, "custom_command",
                             {"command": "echo nope", "success_pattern": "^OK$"})
        assert (result.status, result.message) == ("failed", "stdout does not match '^OK$'")

    async def test_expect_zero_false_lets_the_pattern_decide(self, tmp_path: Path) -> None:
        """With expect_zero false a non-zero status passes when the pattern matches."""
        result = await check(tmp_path, "custom_command", {
            "command": "sh -c 'echo OK; exit 3'", "expect_zero": False, "success_pattern": "OK",
        })
        assert result.status == "passed"

    async def test_threshold_reads_the_score_on_the_last_line(self, tmp_path: Path) -> None:
        """'score: 0.8' passes a 0.7 threshold with score 0.8 and fails a 0.9 one."""
        ws = write(tmp_path, {"grade.py": "print('working')\nprint('score: 0.8')\n"})
        command = "python grade.py"
        low = await check(ws, "custom_command", {"command": command, "threshold": 0.7})
        high = await check(ws, "custom_command", {"command": command, "threshold": 0.9})
        assert (low.status, low.score) == ("passed", 0.8)
        assert (high.status, high.score) == ("failed", 0.8)
        assert "below the threshold 0.9" in high.message

    async def test_a_missing_or_out_of_range_score_fails(self, tmp_path: Path) -> None:
        """No number on the last line, or one above 1, fails with the reason."""
        missing = await check(tmp_path, "custom_command",
                              {"command": "echo done", "threshold": 0.5})
        too_big = await check(tmp_path, "custom_command",
                              {"command": "echo 7", "threshold": 0.5})
        assert missing.status == too_big.status == "failed"
        assert "is not a score" in missing.message
        assert too_big.message == "score 7 is outside 0..1"

    async def test_a_command_past_its_timeout_fails(self, tmp_path: Path) -> None:
        """A command still running at its timeout is killed and the check fails."""
        result = await check(tmp_path, "custom_command", {"command": "sleep 60", "timeout": 1})
        assert (result.status, result.message) == ("failed", "the command timed out after 1 s")


@pytest.mark.parametrize(("config", "error"), [
    ({"command": ""}, "must not be empty"),
    ({"command": "echo 'unbalanced"}, "cannot be split"),
    ({"command": "true", "expect_zero": False}, "nothing would decide"),
    ({"command": "true", "success_pattern": "("}, "invalid regex"),
    ({"command": "true", "threshold": 1.5}, "between 0 and 1"),
    ({"command": "true", "shell": True}, "shell"),
])
def test_custom_command_configs_are_checked_at_load_time(
    config: dict[str, Any], error: str
) -> None:
    """Configs that cannot work are rejected before anything runs."""
    with pytest.raises(ConfigError, match=error):
        validate_config("custom_command", config)


def test_code_exec_configs_reject_escaping_paths_and_bad_limits() -> None:
    """Paths stay in the workspace; timeouts and limits must make sense."""
    with pytest.raises(ConfigError, match="escapes"):
        validate_config("pytest", {"path": "../elsewhere"})
    with pytest.raises(ConfigError, match="timeout"):
        validate_config("pytest", {"timeout": 0})
    with pytest.raises(ConfigError, match="0 or more"):
        validate_config("lint", {"max_violations": -1})
    with pytest.raises(ConfigError):
        validate_config("lint", {"linter": "pylint"})


@pytest.mark.sandbox
@pytest.mark.usefixtures("bwrap_ready")
class TestLint:
    """The lint check."""

    async def test_clean_code_passes(self, tmp_path: Path) -> None:
        """A file without findings passes with no violations."""
        ws = write(tmp_path, {"pkg/clean.py": "x = 1\n"})
        result = await check(ws, "lint", {"path": "pkg"})
        assert result.status == "passed", result.details
        assert result.details["violations"] == 0

    async def test_violations_beyond_the_limit_fail(self, tmp_path: Path) -> None:
        """Two unused imports fail the default limit of 0 and pass a limit of 2."""
        ws = write(tmp_path, {"bad.py": "import os\nimport sys\n"})
        strict = await check(ws, "lint", {})
        lenient = await check(ws, "lint", {"max_violations": 2})
        assert strict.status == "failed"
        assert strict.message.startswith("2 violations, at most 0 allowed")
        assert "F401" in strict.message
        assert lenient.status == "passed"

    async def test_syntax_errors_count_against_max_errors(self, tmp_path: Path) -> None:
        """A file that does not parse breaks max_errors 0 even when violations are allowed."""
        ws = write(tmp_path, {"broken.py": "def f(:\n"})
        result = await check(ws, "lint", {"max_violations": 10, "max_errors": 0})
        assert result.status == "failed"
        assert "errors, at most 0 allowed" in result.message

    async def test_lint_args_are_passed_to_the_linter(self, tmp_path: Path) -> None:
        """Extra args (here a rule selection) change what is counted."""
        ws = write(tmp_path, {"bad.py": "import os\n"})
        result = await check(ws, "lint", {"args": ["--select", "E501"]})
        assert result.status == "passed", result.details

    @pytest.mark.skipif(shutil.which("eslint") is not None, reason="eslint is installed here")
    async def test_missing_eslint_is_skipped_never_passed(self, tmp_path: Path) -> None:
        """Without eslint the check cannot be decided, so it is skipped with the reason."""
        ws = write(tmp_path, {"a.js": "var x = 1;\n"})
        result = await check(ws, "lint", {"linter": "eslint"})
        assert (result.status, result.message, result.score) == (
            "skipped", "eslint not installed", None
        )
