"""The results store: every suite run, test, run, check, event and artifact, queryable.

``open_store(url)`` opens SQLite (default ``./.atp/atp.db``) or PostgreSQL; ``StoreSink``
persists a run as it happens; the ``Store`` methods are the query API the dashboard and the
CLI read. See docs/store.md.
"""

from atp_core.store._context import detect_run_context
from atp_core.store._open import DEFAULT_URL
from atp_core.store._schema import LATEST_VERSION
from atp_core.store._secrets import mask_secrets
from atp_core.store._sink import StoreSink
from atp_core.store._store import DEFAULT_INLINE_LIMIT, Store, open_store
from atp_core.store._types import (
    ArtifactMeta,
    BaselineRecord,
    Page,
    RunContext,
    RunDetail,
    SuiteRunDetail,
    SuiteRunHeader,
    TestDetail,
    TestRow,
    TrendPoint,
)

__all__ = [
    "DEFAULT_INLINE_LIMIT",
    "DEFAULT_URL",
    "LATEST_VERSION",
    "ArtifactMeta",
    "BaselineRecord",
    "Page",
    "RunContext",
    "RunDetail",
    "Store",
    "StoreSink",
    "SuiteRunDetail",
    "SuiteRunHeader",
    "TestDetail",
    "TestRow",
    "TrendPoint",
    "detect_run_context",
    "mask_secrets",
    "open_store",
]
