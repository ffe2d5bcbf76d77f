"""``ref-solver`` for research: answers from the shipped corpus and lead-sentence summaries."""

from __future__ import annotations

from atp_core.protocol import Artifact, Request


async def solve_research(request: Request) -> list[Artifact]:
    """Solve a web_research or summarization task."""
    raise ValueError("research tasks are not known yet")
