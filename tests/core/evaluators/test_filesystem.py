"""Workspace checks against a real temporary workspace."""

from __future__ import annotations

import os
from typing import Any

import pytest

from atp_core.errors import ConfigError
from atp_core.evaluators import validate_config

pytestmark = pytest.mark.anyio


async def test_file_exists_passes_for_a_file_and_fails_for_a_directory(kit: Any) -> None:
    """file_exists wants a regular file."""
    kit.write("out/report.txt", "hello")
    ctx = kit.ctx()
    ok = await kit.check("file_exists", {"path": "out/report.txt"}, ctx)
    directory = await kit.check("file_exists", {"path": "out"}, ctx)
    assert (ok.status, ok.score) == ("passed", 1.0)
    assert "5 bytes" in ok.message
    assert directory.status == "failed"
    assert "is a directory, not a file" in directory.message


async def test_file_exists_failure_lists_neighbouring_entries(kit: Any) -> None:
    """A missing file fails, showing what is in the nearest existing directory."""
    kit.write("out/other.txt", "")
    result = await kit.check("file_exists", {"path": "out/report.txt"}, kit.ctx())
    assert result.status == "failed"
    assert "next to it: other.txt" in result.message


async def test_file_not_exists_fails_for_files_and_directories(kit: Any) -> None:
    """Anything at the path fails file_not_exists; nothing passes it."""
    kit.write("tmp/scratch", "xy")
    ctx = kit.ctx()
    assert (await kit.check("file_not_exists", {"path": "nope"}, ctx)).status == "passed"
    as_file = await kit.check("file_not_exists", {"path": "tmp/scratch"}, ctx)
    as_dir = await kit.check("file_not_exists", {"path": "tmp"}, ctx)
    assert as_file.status == "failed"
    assert "'tmp/scratch' exists (2 bytes)" in as_file.message
    assert "exists, as a directory" in as_dir.message


async def test_dir_exists(kit: Any) -> None:
    """dir_exists passes for a directory and explains a file in its place."""
    kit.write("pkg/mod.py", "")
    ctx = kit.ctx()
    assert (await kit.check("dir_exists", {"path": "pkg"}, ctx)).status == "passed"
    as_file = await kit.check("dir_exists", {"path": "pkg/mod.py"}, ctx)
    assert as_file.status == "failed"
    assert "is a file, not a directory" in as_file.message


async def test_missing_workspace_skips_instead_of_passing(kit: Any) -> None:
    """Without a workspace, even file_not_exists cannot be decided."""
    ctx = kit.ctx(workspace=kit.workspace / "missing")
    for type_name in ("file_exists", "file_not_exists", "dir_exists"):
        result = await kit.check(type_name, {"path": "a"}, ctx)
        assert result.status == "skipped", type_name
        assert "does not exist" in result.message
        assert result.score is None


async def test_symlink_escaping_the_workspace_fails(kit: Any, tmp_path: Any) -> None:
    """A path that leaves the workspace through a symlink fails rather than being read."""
    outside = tmp_path / "secret.txt"
    outside.write_text("s3cret")
    os.symlink(outside, kit.workspace / "link.txt")
    result = await kit.check("file_contains", {"path": "link.txt", "pattern": "s3"}, kit.ctx())
    assert result.status == "failed"
    assert "escapes the workspace" in result.message


async def test_file_contains_pass_fail_and_regex(kit: Any) -> None:
    """file_contains searches the file text, literally or with a regex."""
    kit.write("main.py", "def main():\n    return 42\n")
    ctx = kit.ctx()
    ok = await kit.check(
        "file_contains", {"path": "main.py", "pattern": r"return \d+", "regex": True}, ctx
    )
    bad = await kit.check("file_contains", {"path": "main.py", "pattern": "return 43"}, ctx)
    missing = await kit.check("file_contains", {"path": "nope.py", "pattern": "x"}, ctx)
    assert ok.status == "passed"
    assert bad.status == "failed"
    assert "pattern 'return 43' not found in 'main.py', which starts 'def main()" in bad.message
    assert "no file 'nope.py'" in missing.message


async def test_file_contains_skips_binary_files(kit: Any) -> None:
    """A file that is not UTF-8 text cannot be searched."""
    kit.write("blob.bin", b"\xff\xfe\x00\x01")
    result = await kit.check("file_contains", {"path": "blob.bin", "pattern": "x"}, kit.ctx())
    assert result.status == "skipped"
    assert "binary" in result.message


@pytest.mark.parametrize(
    ("operator", "count", "status"),
    [
        ("eq", 2, "passed"),
        ("eq", 3, "failed"),
        ("gt", 1, "passed"),
        ("gt", 2, "failed"),
        ("gte", 2, "passed"),
        ("lt", 3, "passed"),
        ("lt", 2, "failed"),
        ("lte", 2, "passed"),
        ("lte", 1, "failed"),
    ],
)
async def test_file_count_operators(kit: Any, operator: str, count: int, status: str) -> None:
    """Regular files directly in the directory are compared with count."""
    kit.write("out/a.txt", "")
    kit.write("out/b.txt", "")
    kit.write("out/sub/c.txt", "")
    config = {"path": "out", "count": count, "operator": operator}
    result = await kit.check("file_count", config, kit.ctx())
    assert result.status == status
    assert result.details["actual"] == 2


async def test_file_count_message_and_default_path(kit: Any) -> None:
    """The default path is the workspace root; a failure lists the files."""
    kit.write("one.txt", "")
    result = await kit.check("file_count", {"count": 3}, kit.ctx())
    assert result.status == "failed"
    assert "1 files in '.', expected == 3 (files: one.txt)" in result.message


@pytest.mark.parametrize(
    ("type_name", "config", "message"),
    [
        ("file_exists", {"path": "../x"}, "escapes the workspace"),
        ("file_exists", {"path": "/etc/passwd"}, "escapes the workspace"),
        ("dir_exists", {"path": "a/../../b"}, "escapes the workspace"),
        ("file_contains", {"path": "a", "pattern": "(", "regex": True}, "invalid regex"),
        ("file_contains", {"path": "a", "pattern": ""}, "must not be empty"),
        ("file_count", {"count": -1}, "0 or more"),
        ("file_count", {"count": 1, "operator": "ne"}, "$.operator"),
    ],
)
def test_bad_filesystem_configs_are_load_time_errors(
    type_name: str, config: dict[str, Any], message: str
) -> None:
    """Escaping paths, bad patterns and bad operators are rejected at load time."""
    with pytest.raises(ConfigError) as info:
        validate_config(type_name, config)
    assert message in str(info.value)
