"""Variables that belong to plugins are not ATP settings."""

from __future__ import annotations

from pathlib import Path

from atp_core.config import load_config


def test_plugin_variables_are_left_to_their_plugins(tmp_path: Path) -> None:
    """ATP_PLUGIN_<NAME>__<KEY> never fails config loading and sets no ATP option."""
    env = {"ATP_PLUGIN_WORDCOUNT__TITLE": "x", "ATP_RUNNER__PARALLEL": "2"}
    config = load_config(tmp_path, env)
    assert config.runner.parallel == 2
