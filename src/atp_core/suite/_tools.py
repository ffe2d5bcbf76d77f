"""The suite's ``tools:`` block: data ATP serves to the agent at ``context.tools_endpoint``.

::

    tools:
      search: {documents: "corpus/"}   # search(query, limit) and read_document(path)
      files: {root: "data/"}           # read_file(path) and list_files(path)

Directories are relative to the suite file and must exist.
"""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

from atp_core.protocol import FilesToolSpec, SearchToolSpec, ToolsSpec
from atp_core.suite._fields import Invalid, Reader, non_empty_text
from atp_core.suite._yaml import Path

TOOLS_KEYS = ("search", "files")


def read_tools(reader: Reader, data: Any, base_dir: FsPath) -> ToolsSpec | None:
    """The ``tools:`` block, or ``None`` when the suite serves no tools."""
    if data is None:
        return None
    path: Path = ("tools",)
    block = reader.keys(data, path, TOOLS_KEYS)
    search = files = None
    if block.get("search") is not None:
        documents = _directory(reader, block["search"], (*path, "search"), "documents", base_dir)
        search = SearchToolSpec(documents=documents) if documents else None
    if block.get("files") is not None:
        root = _directory(reader, block["files"], (*path, "files"), "root", base_dir)
        files = FilesToolSpec(root=root) if root else None
    return ToolsSpec(search=search, files=files)


def _directory(reader: Reader, data: Any, path: Path, key: str, base_dir: FsPath) -> str:
    block = reader.keys(data, path, (key,))
    return reader.require(block, path, key, lambda v: _existing_dir(v, base_dir), "")


def _existing_dir(value: Any, base_dir: FsPath) -> str:
    target = (base_dir / non_empty_text(value)).resolve()
    if not target.is_dir():
        raise Invalid(f"no such directory: {value!r} (relative to the suite file)")
    return str(target)
