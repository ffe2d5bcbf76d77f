"""Layering: defaults → atp.config.yaml → atp.config.<env>.yaml → .env → ATP_* → overrides."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from atp_core.config import AtpConfig, load_config

LAYERS = ("yaml", "env_yaml", ".env", "environ", "override")


def _apply(tmp_path: Path, layers: dict[str, int]) -> AtpConfig:
    """Set runner.parallel in each named layer to the given value and load."""
    env = {"ATP_ENV": "ci"}
    if "yaml" in layers:
        (tmp_path / "atp.config.yaml").write_text(f"runner:\n  parallel: {layers['yaml']}\n")
    if "env_yaml" in layers:
        env_file = tmp_path / "atp.config.ci.yaml"
        env_file.write_text(f"runner: {{parallel: {layers['env_yaml']}}}\n")
    if ".env" in layers:
        (tmp_path / ".env").write_text(f"ATP_RUNNER__PARALLEL={layers['.env']}\n")
    if "environ" in layers:
        env["ATP_RUNNER__PARALLEL"] = str(layers["environ"])
    overrides = {"runner.parallel": layers["override"]} if "override" in layers else None
    return load_config(tmp_path, env, overrides)


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        ((), 4),
        (("yaml",), 11),
        (("yaml", "env_yaml"), 12),
        (("env_yaml", ".env"), 13),
        ((".env", "environ"), 14),
        (("environ", "override"), 15),
        (("yaml", "override"), 15),
        (("yaml", ".env"), 13),
        (("yaml", "env_yaml", ".env", "environ", "override"), 15),
        (("yaml", "env_yaml", ".env", "environ"), 14),
    ],
)
def test_each_layer_beats_the_ones_before(
    tmp_path: Path, present: tuple[str, ...], expected: int
) -> None:
    """The value comes from the last layer that sets it (layer i sets 11 + i)."""
    config = _apply(tmp_path, {name: 11 + LAYERS.index(name) for name in present})
    assert config.runner.parallel == expected


def test_defaults_without_any_layer(tmp_path: Path) -> None:
    """With no files, variables or flags every setting has its documented default."""
    config = load_config(tmp_path, {})
    assert config == AtpConfig()
    assert (config.log.level, config.runner.parallel, config.runner.default_timeout) == (
        "INFO", 4, 120.0)
    assert config.database.url is None
    assert config.database.effective_url().get_secret_value() == "sqlite:///./.atp/atp.db"
    assert (config.web.host, config.web.port) == ("127.0.0.1", 8080)


def test_dotenv_is_parsed_without_touching_os_environ(
    project: Callable[[str, str], Path],
) -> None:
    """.env lines (export, quotes, comments) are read; os.environ is left as it was."""
    cwd = project(".env", "# comment\nexport ATP_LOG__FORMAT=json\n"
                          "ATP_WEB__HOST='0.0.0.0'\nATP_SANDBOX__MODE=\"none\" # x\nOTHER=1\n")
    before = dict(os.environ)
    config = load_config(cwd, {})
    assert (config.log.format, config.web.host, config.sandbox.mode) == (
        "json", "0.0.0.0", "none")
    assert dict(os.environ) == before


def test_double_underscore_nests_and_flat_names_work(tmp_path: Path) -> None:
    """ATP_SECTION__FIELD and the flat ATP_SECTION_FIELD (ATP_DATABASE_URL) both work."""
    config = load_config(tmp_path, {
        "ATP_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/atp",
        "ATP_LOG_LEVEL": "debug",
        "ATP_SANDBOX__MEMORY_MB": "512",
    })
    assert config.database.url is not None
    assert config.database.url.get_secret_value() == "postgresql://postgres@127.0.0.1:5432/atp"
    assert config.log.level == "DEBUG"
    assert config.sandbox.memory_mb == 512


def test_nested_name_beats_flat_name(tmp_path: Path) -> None:
    """When both spellings are set, the nested (more specific) one wins."""
    config = load_config(tmp_path, {"ATP_RUNNER_PARALLEL": "2", "ATP_RUNNER__PARALLEL": "3"})
    assert config.runner.parallel == 3


@pytest.mark.parametrize(
    ("name", "text", "attr", "expected"),
    [
        ("ATP_RUNNER__KEEP_WORKSPACES", "true", "keep_workspaces", True),
        ("ATP_RUNNER__KEEP_WORKSPACES", "0", "keep_workspaces", False),
        ("ATP_RUNNER__KEEP_WORKSPACES", "Yes", "keep_workspaces", True),
        ("ATP_RUNNER__DEFAULT_TIMEOUT", "12.5", "default_timeout", 12.5),
        ("ATP_RUNNER__DEFAULT_TIMEOUT", "30", "default_timeout", 30.0),
        ("ATP_RUNNER__WORKSPACE_ROOT", "/srv/ws", "workspace_root", "/srv/ws"),
        ("ATP_RUNNER__WORKSPACE_ROOT", "", "workspace_root", None),
        ("ATP_RUNNER__PARALLEL", " 8 ", "parallel", 8),
    ],
)
def test_environment_text_is_converted_by_type(
    tmp_path: Path, name: str, text: str, attr: str, expected: object
) -> None:
    """Booleans, numbers and unset optionals are read from text by the setting's type."""
    config = load_config(tmp_path, {"ATP_RUNNER__WORKSPACE_ROOT": "/x", name: text})
    assert getattr(config.runner, attr) == expected


def test_mapping_settings_merge_key_by_key_across_layers(
    project: Callable[[str, str], Path],
) -> None:
    """log.levels from the file and from variables combine; a later layer wins per key."""
    cwd = project("atp.config.yaml", "log:\n  levels: {httpx: WARNING, atp: INFO}\n")
    config = load_config(cwd, {"ATP_LOG__LEVELS__ATP": "debug",
                               "ATP_LOG__LEVELS": '{"anyio": "ERROR"}'})
    assert config.log.levels == {"httpx": "WARNING", "atp": "DEBUG", "anyio": "ERROR"}


def test_overrides_take_typed_values_and_text(tmp_path: Path) -> None:
    """Overrides accept typed values (from argparse) and K=V text (from --config)."""
    config = load_config(tmp_path, {}, {"runner.parallel": 2, "runner.keep_workspaces": True,
                                        "sandbox.mode": "none", "web.port": "9001"})
    assert (config.runner.parallel, config.runner.keep_workspaces) == (2, True)
    assert (config.sandbox.mode, config.web.port) == ("none", 9001)


def test_atp_env_may_come_from_dotenv(project: Callable[[str, str], Path]) -> None:
    """ATP_ENV set in .env selects atp.config.<env>.yaml too."""
    project("atp.config.prod.yaml", "web: {port: 443}\n")
    cwd = project(".env", "ATP_ENV=prod\n")
    assert load_config(cwd, {}).web.port == 443


def test_missing_environment_file_is_not_an_error(tmp_path: Path) -> None:
    """An ATP_ENV without its own file just adds no layer."""
    assert load_config(tmp_path, {"ATP_ENV": "staging"}) == AtpConfig()


def test_variables_that_name_no_section_are_ignored(tmp_path: Path) -> None:
    """PATH, ATP_ENV and ATP_PYTHON (not a config section) do not affect configuration."""
    config = load_config(tmp_path, {"PATH": "/bin", "ATP_PYTHON": "/usr/bin/python3",
                                    "ATP_ENV": "dev"})
    assert config == AtpConfig()
