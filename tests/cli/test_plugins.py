"""``atp plugins``: the example plugin built into a fresh venv, and broken plugins beside it."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "plugins" / "atp-example-plugin"

BROKEN_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "atp-broken-plugins"
version = "9.9"
authors = [{ name = "Nobody" }]

[project.entry-points."atp.adapters"]
broken-nomethod = "atp_broken_plugins:NoExecute"

[project.entry-points."atp.evaluators"]
broken_api = "atp_broken_plugins:FutureApi"
broken_config = "atp_broken_plugins:BadConfig"

[project.entry-points."atp.reporters"]
broken-import = "atp_broken_plugins.missing:Nothing"
"""
BROKEN_MODULE = '''\
"""Plugins that each break one rule."""
from atp_core.protocol import Adapter


class NoExecute(Adapter):
    """An adapter without execute."""

    atp_plugin_api = ">=1.0"

    class config_type:  # noqa: N801
        pass


class FutureApi:
    """An evaluator for a plugin API that does not exist yet."""

    atp_plugin_api = ">=2,<3"
    config_type = None

    def __init__(self, config, spec): ...

    async def evaluate(self, ctx): ...


class BadConfig:
    """An evaluator whose config is not an attrs class."""

    atp_plugin_api = ">=1.0"
    config_type = dict

    def __init__(self, config, spec): ...

    async def evaluate(self, ctx): ...
'''


def _python(venv: Path, *args: str, cwd: Path, env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([str(venv / "bin" / "python"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False, stdin=subprocess.DEVNULL,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv that sees ATP's dependencies, with both plugin packages pip-installed."""
    root = tmp_path_factory.mktemp("plugins")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(_python(venv, "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])", cwd=root).stdout.strip())
    # ATP and its dependencies (pip and hatchling too) come from the project's venv, so the
    # fresh one needs no network; the plugins are installed into the fresh one by pip.
    ours = sysconfig.get_paths()["purelib"]
    (purelib / "_atp_deps.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    broken = root / "broken"
    (broken / "atp_broken_plugins").mkdir(parents=True)
    (broken / "pyproject.toml").write_text(BROKEN_PYPROJECT)
    (broken / "atp_broken_plugins" / "__init__.py").write_text(BROKEN_MODULE)
    for package in (EXAMPLE, broken):
        out = _python(venv, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                      "--no-index", str(package), cwd=root)
        assert out.returncode == 0, out.stderr
    return venv


def test_list_shows_the_example_plugin_and_every_broken_one_with_its_reason(
    venv: Path, tmp_path: Path,
) -> None:
    """Installed plugins are listed; broken ones are unavailable with why; built-ins stay."""
    out = _python(venv, "-m", "atp_cli", "plugins", "list", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = {line.split()[1]: line for line in out.stdout.splitlines()[:-1]}
    for name in ("example-wordcount", "example_json_value", "example-summary", "http"):
        assert " available " in lines[name], lines[name]
    assert "atp-example-plugin 0.1.0" in lines["example-wordcount"]
    assert "missing method async execute(request, sink)" in lines["broken-nomethod"]
    assert "supports plugin API '>=2,<3'" in lines["broken_api"]
    assert "config_type 'dict' is not an attrs class" in lines["broken_config"]
    assert "cannot be imported: ModuleNotFoundError" in lines["broken-import"]
    assert out.stdout.splitlines()[-1].endswith("4 unavailable")


def test_list_by_type_shows_only_that_kind(venv: Path, tmp_path: Path) -> None:
    """``--type reporter`` lists reporters only."""
    out = _python(venv, "-m", "atp_cli", "plugins", "list", "--type", "reporter", cwd=tmp_path)
    kinds = {line.split()[0] for line in out.stdout.splitlines()[:-1]}
    assert kinds == {"reporter"}


def test_info_shows_metadata_schema_and_example(venv: Path, tmp_path: Path) -> None:
    """``info`` prints the distribution, author, API range, config schema and an example."""
    out = _python(venv, "-m", "atp_cli", "plugins", "info", "example_json_value", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "| Distribution | atp-example-plugin 0.1.0 |" in out.stdout
    assert "| Author | ATP developers |" in out.stdout
    assert "| Plugin API | >=1.0,<2 |" in out.stdout
    assert '"required": [\n    "path",\n    "key",\n    "equals"\n  ]' in out.stdout
    assert '"equals": 9' in out.stdout
    assert "ATP_PLUGIN_EXAMPLE_JSON_VALUE__<KEY>" in out.stdout


def test_suite_runs_with_the_plugin_adapter_evaluator_and_reporter(
    venv: Path, tmp_path: Path,
) -> None:
    """The plugin's suite passes and its reporter writes the summary, beside broken plugins."""
    suite = EXAMPLE / "suite" / "wordcount.yaml"
    out = _python(venv, "-m", "atp_cli", "run", str(suite), "--no-progress",
                  "--report", "example-summary:summary.txt", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    summary = (tmp_path / "summary.txt").read_text()
    assert summary.splitlines()[0] == "ATP summary"
    assert "PASSED  unique-words" in summary


def test_suite_using_a_broken_plugin_fails_to_load_with_the_reason(
    venv: Path, tmp_path: Path,
) -> None:
    """A suite naming an unavailable plugin is invalid (exit 2) and says why."""
    suite = tmp_path / "broken.yaml"
    suite.write_text(textwrap.dedent("""\
        test_suite: broken
        agents: [{name: a, type: broken-nomethod}]
        tests:
          - id: t
            name: t
            task: {description: d}
            assertions: [{type: broken_api, config: {}}]
        """))
    out = _python(venv, "-m", "atp_cli", "validate", str(suite), cwd=tmp_path)
    assert out.returncode == 2
    assert "adapter plugin 'broken-nomethod' (atp-broken-plugins) is unavailable" in out.stderr
    assert "evaluator plugin 'broken_api' (atp-broken-plugins) is unavailable" in out.stderr


def test_bad_environment_config_makes_only_that_plugin_unavailable(
    venv: Path, tmp_path: Path,
) -> None:
    """An unknown ``ATP_PLUGIN_<NAME>__<KEY>`` breaks that plugin alone."""
    out = _python(venv, "-m", "atp_cli", "plugins", "list", "--type", "reporter", cwd=tmp_path,
                  env={"ATP_PLUGIN_EXAMPLE_SUMMARY__COLOUR": "red"})
    lines = {line.split()[1]: line for line in out.stdout.splitlines()[:-1]}
    assert "ATP_PLUGIN_EXAMPLE_SUMMARY__COLOUR names no config key" in lines["example-summary"]
    assert " available " in lines["json"]


def test_docs_writes_a_page_per_plugin_and_an_index(venv: Path, tmp_path: Path) -> None:
    """``docs --output DIR`` writes index.md and one page per plugin."""
    out = _python(venv, "-m", "atp_cli", "plugins", "docs", "--output", "out", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    page = (tmp_path / "out" / "adapter-example-wordcount.md").read_text()
    assert "type: example-wordcount" in page
    assert "[example-summary](reporter-example-summary.md)" in (
        tmp_path / "out" / "index.md").read_text()


def test_the_example_plugin_own_tests_pass_once_installed(venv: Path, tmp_path: Path) -> None:
    """The plugin's own test suite passes in the venv it was installed into."""
    out = _python(venv, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                  str(EXAMPLE / "tests"), cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr


def test_help_imports_no_plugin(tmp_path: Path, venv: Path) -> None:
    """``atp --help`` imports no plugin module, not even ATP's own adapters."""
    code = ("import sys, contextlib, io\nfrom atp_cli.__main__ import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: main(['--help'])\n    except SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('atp_example_plugin', "
            "'atp_broken_plugins', 'atp_core.adapters', 'atp_core.plugins', "
            "'atp_core.evaluators'))))\n")
    out = _python(venv, "-c", code, cwd=tmp_path)
    assert out.stdout.strip() == "[]", out.stderr
