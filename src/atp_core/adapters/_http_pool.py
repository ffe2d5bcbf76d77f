"""Several httpx clients behind one adapter, so many concurrent runs stay cheap.

httpcore hands queued requests to connections by scanning the whole pool for each one,
which is quadratic in the number of connections: with 256 runs in flight through one
client that scan cost more CPU than everything else a run does (docs/performance.md).
Shards of at most ``SHARD`` connections keep each scan short; a request goes to the
least loaded shard, so together they hold ``max_connections`` requests at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

SHARD = 32


class ClientPool:
    """``max_connections`` connections spread over clients of at most ``SHARD`` each."""

    def __init__(self, max_connections: int, make: Callable[[int], httpx.AsyncClient]) -> None:
        full, rest = divmod(max_connections, SHARD)
        self._sizes = [SHARD] * full + ([rest] if rest else [])
        self._clients = [make(size) for size in self._sizes]
        self._busy = [0] * len(self._clients)

    @property
    def any(self) -> httpx.AsyncClient:
        """A client for a one-off request (a health check)."""
        return self._clients[0]

    @contextmanager
    def client(self) -> Iterator[httpx.AsyncClient]:
        """The least loaded client, counted busy until the block ends."""
        index = min(range(len(self._busy)), key=lambda i: self._busy[i] / self._sizes[i])
        self._busy[index] += 1
        try:
            yield self._clients[index]
        finally:
            self._busy[index] -= 1

    async def aclose(self) -> None:
        """Close every client's connections."""
        for client in self._clients:
            await client.aclose()
