"""Bad configuration is refused with every problem, located, with suggestions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from atp_core.config import load_config
from atp_core.errors import ConfigError


def _error(cwd: Path, env: dict[str, str] | None = None,
           overrides: dict[str, object] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(cwd, env or {}, overrides)
    return str(caught.value)


def test_unknown_key_is_located_with_a_suggestion(project: Callable[[str, str], Path]) -> None:
    """A misspelt key names file:line:col of the key and the closest known name."""
    cwd = project("atp.config.yaml", "runner:\n  parallel: 2\n  paralel: 3\n")
    message = _error(cwd)
    assert f"{cwd / 'atp.config.yaml'}:3:3: unknown setting 'paralel' in runner" in message
    assert "did you mean 'runner.parallel'?" in message


def test_unknown_section_is_located(project: Callable[[str, str], Path]) -> None:
    """An unknown top-level key is reported at its line with a suggestion."""
    cwd = project("atp.config.yaml", "log: {level: INFO}\ndatabse:\n  url: x\n")
    assert "atp.config.yaml:2:1: unknown setting 'databse'; did you mean 'database'?" in _error(cwd)


def test_wrong_type_is_located_at_the_value(project: Callable[[str, str], Path]) -> None:
    """A value of the wrong type names its own line and column and the expected type."""
    cwd = project("atp.config.yaml", "web:\n  port: eighty\n  host: 127.0.0.1\n")
    assert "atp.config.yaml:2:9: web.port: expected an integer, got a string" in _error(cwd)


def test_out_of_range_value_is_refused(project: Callable[[str, str], Path]) -> None:
    """Bounds are checked where the value is written."""
    cwd = project("atp.config.yaml", "runner:\n  parallel: 0\n")
    assert "atp.config.yaml:2:13: runner.parallel: must be at least 1, got 0" in _error(cwd)


def test_every_problem_of_every_layer_is_reported(project: Callable[[str, str], Path]) -> None:
    """Problems from the file, .env, variables and overrides come in one error."""
    project("atp.config.yaml", "sandbox:\n  mode: bwrapp\n  memory: 5\n")
    cwd = project(".env", "ATP_WEB__PORT=70000\n")
    message = _error(cwd, {"ATP_RUNNER__KEEP_WORKSPACES": "maybe"}, {"log.format": "xml"})
    lines = message.splitlines()[1:]
    assert len(lines) == 5
    assert "sandbox.mode: must be one of 'auto', 'bwrap', 'container', 'none'" in message
    assert "did you mean 'bwrap'?" in message
    assert "unknown setting 'memory' in sandbox; did you mean 'sandbox.memory_mb'?" in message
    assert f"{cwd / '.env'}:1 (ATP_WEB__PORT): web.port: must be at most 65535" in message
    assert "environment variable ATP_RUNNER__KEEP_WORKSPACES: runner.keep_workspaces: " \
           "expected true or false, got 'maybe'" in message
    assert "setting 'log.format': log.format: must be one of" in message


def test_unknown_variable_in_a_section_suggests_the_right_name(tmp_path: Path) -> None:
    """ATP_RUNER__PARALLEL (typo) is refused and the right variable is suggested."""
    message = _error(tmp_path, {"ATP_RUNNER__PARALEL": "2"})
    assert "environment variable ATP_RUNNER__PARALEL: no such setting runner.paralel; " \
           "did you mean ATP_RUNNER__PARALLEL?" in message


def test_invalid_yaml_is_located(project: Callable[[str, str], Path]) -> None:
    """A YAML syntax error names the line and column where parsing failed."""
    cwd = project("atp.config.yaml", "runner:\n  parallel: [1,\n")
    assert "atp.config.yaml:3:1: invalid YAML" in _error(cwd)


def test_duplicate_key_is_refused(project: Callable[[str, str], Path]) -> None:
    """A key given twice in one mapping is an error, not a silent override."""
    cwd = project("atp.config.yaml", "runner:\n  parallel: 1\n  parallel: 2\n")
    assert "invalid YAML" in _error(cwd)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- runner\n", "atp.config.yaml:1:1: expected a mapping of sections, got a list"),
        ("runner: 4\n", "atp.config.yaml:1:9: runner: expected a mapping, got an integer"),
        ("runner:\n  parallel: {a: 1}\n", "runner.parallel: expected an integer, got a mapping"),
        ("log:\n  levels: [a]\n", "log.levels: expected a mapping, got a list"),
    ],
)
def test_misshapen_files_are_refused(
    project: Callable[[str, str], Path], text: str, expected: str
) -> None:
    """Sections must be mappings and single values must not be."""
    assert expected in _error(project("atp.config.yaml", text))


def test_single_value_has_no_fields(tmp_path: Path) -> None:
    """ATP_RUNNER__PARALLEL__DEEPER goes below a single value."""
    assert "runner.parallel is a single value, not a section" in _error(
        tmp_path, {"ATP_RUNNER__PARALLEL__DEEPER": "1"})


def test_section_cannot_be_set_from_a_variable(tmp_path: Path) -> None:
    """ATP_RUNNER names a whole section, which text cannot set."""
    assert "runner is a section; set its fields (e.g. runner.parallel)" in _error(
        tmp_path, {"ATP_RUNNER": "x"})


def test_bad_atp_env_name_is_refused(tmp_path: Path) -> None:
    """ATP_ENV cannot point outside the project directory."""
    assert "ATP_ENV: must be a name" in _error(tmp_path, {"ATP_ENV": "../../etc/x"})


def test_bad_mapping_json_in_a_variable_is_refused(tmp_path: Path) -> None:
    """A mapping setting given as text must be a JSON object."""
    message = _error(tmp_path, {"ATP_LOG__LEVELS": "{httpx: WARNING"})
    assert "log.levels: expected a JSON object" in message


def test_non_finite_number_is_refused(tmp_path: Path) -> None:
    """inf and nan are not timeouts."""
    assert "must be a finite number" in _error(tmp_path, {"ATP_RUNNER__DEFAULT_TIMEOUT": "inf"})
