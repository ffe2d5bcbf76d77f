"""The tools endpoint (SPEC §1 ``context.tools_endpoint``): tools served to agents in a run.

A suite's ``tools:`` block names the data (a document corpus for ``search`` and
``read_document``, a directory for ``read_file`` and ``list_files``). ``open_tool_server``
serves them on 127.0.0.1; pass it as ``RunOptions(tools=...)`` and every call becomes a
``tool_call`` event of the run.
"""

from __future__ import annotations

from atp_core.tools._corpus import Corpus
from atp_core.tools._server import ToolServer, open_tool_server
from atp_core.tools._toolbox import Tool, ToolInputError, build_tools

__all__ = ["Corpus", "Tool", "ToolInputError", "ToolServer", "build_tools", "open_tool_server"]
