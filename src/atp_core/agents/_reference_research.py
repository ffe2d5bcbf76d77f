"""``ref-solver`` for research: looks facts up through the tools endpoint; lead summaries.

web_research: search the corpus for the entity, read the best document and take the value
of the asked attribute from its Facts list. summarization: the lead sentence of every
paragraph (the classic lead baseline of extractive summarisation).
"""

from __future__ import annotations

import re
from typing import Any

from atp_core.agents._core import file_artifact
from atp_core.agents._reference_reasoning import answer
from atp_core.protocol import Artifact, Request

_QUESTION = re.compile(r'what is the "(.+?)" of (.+?)\? Use the search')


async def _call(client: Any, endpoint: str, tool: str, data: dict[str, Any]) -> Any:
    response = await client.post(f"{endpoint.rstrip('/')}/tools/{tool}", json=data)
    response.raise_for_status()
    return response.json()["output"]


async def look_up(endpoint: str, attribute: str, entity: str) -> str:
    """The value of ``attribute`` in the Facts of the document that best matches ``entity``."""
    import httpx

    async with httpx.AsyncClient(timeout=10.0) as client:
        hits = await _call(client, endpoint, "search", {"query": entity, "limit": 3})
        for hit in hits:
            document = await _call(client, endpoint, "read_document", {"path": hit["path"]})
            text = document.get("content", "") if isinstance(document, dict) else document
            pattern = rf"^- {re.escape(attribute)}: (.+)$"
            if m := re.search(pattern, str(text), re.IGNORECASE | re.MULTILINE):
                return m.group(1).strip()
    raise ValueError(f"no document states the {attribute} of {entity}")


def lead_summary(text: str) -> str:
    """The first sentence of each paragraph, joined."""
    leads = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        sentence = re.match(r".+?[.!?](?=\s|$)", " ".join(paragraph.split()))
        if sentence:
            leads.append(sentence.group())
    return " ".join(leads) + "\n"


async def solve_research(request: Request) -> list[Artifact]:
    """Solve a web_research or summarization task."""
    data = request.task.input_data or {}
    if "text" in data:
        return [file_artifact("summary.md", lead_summary(str(data["text"])), "text/markdown")]
    m = _QUESTION.search(request.task.description)
    endpoint = request.context.tools_endpoint if request.context else None
    if m is None or not endpoint:
        raise ValueError("not a research question, or no tools endpoint")
    return answer(await look_up(endpoint, m.group(1), m.group(2)))
