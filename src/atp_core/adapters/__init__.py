"""Adapters talk to agents over HTTP, stdio or in-process calls.

Adapters are registered by type name and imported only when used.
"""

from __future__ import annotations

from atp_core.adapters._registry import adapter_class, adapter_types, create_adapter

__all__ = ["adapter_class", "adapter_types", "create_adapter"]
