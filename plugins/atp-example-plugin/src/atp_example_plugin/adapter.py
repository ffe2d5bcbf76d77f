"""``example-wordcount``: an in-process agent that counts words, as an ATP adapter."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import ClassVar

import attrs

from atp_core.protocol import (
    Adapter,
    Event,
    EventSink,
    FileArtifact,
    Request,
    Response,
    StructuredArtifact,
)

_WORD = re.compile(r"[^\W_]+")


@attrs.frozen(kw_only=True)
class WordCountConfig:
    """How the word-count agent counts."""

    lowercase: bool = attrs.field(default=True, metadata={"description": "fold case first"})
    top: int = attrs.field(default=3, validator=attrs.validators.ge(1),
                           metadata={"description": "how many most common words to report"})


class WordCountAdapter(Adapter):
    """Counts the words of ``input_data.text`` and answers with ``counts.json``."""

    atp_plugin_api: ClassVar[str] = ">=1.0,<2"
    type_name: ClassVar[str] = "example-wordcount"
    config_type: ClassVar[type[WordCountConfig]] = WordCountConfig

    def __init__(self, config: WordCountConfig) -> None:
        self.config = config

    async def execute(self, request: Request, sink: EventSink) -> Response:
        """Count, report progress as an event, and return the counts as artifacts."""
        text = str((request.task.input_data or {}).get("text", ""))
        words = _WORD.findall(text.lower() if self.config.lowercase else text)
        common = Counter(words).most_common(self.config.top)
        data = {"total": len(words), "unique": len(set(words)),
                "top": [{"word": w, "count": c} for w, c in common]}
        sink.event(Event(task_id=request.task_id, event_type="progress",
                         timestamp="1970-01-01T00:00:00+00:00", sequence=0,
                         payload={"current_step": 1, "percentage": 100.0,
                                  "message": f"counted {len(words)} words"}))
        content = json.dumps(data, sort_keys=True)
        return Response(task_id=request.task_id, status="completed", artifacts=[
            FileArtifact(path="counts.json", content=content, content_type="application/json",
                         size_bytes=len(content.encode())),
            StructuredArtifact(name="counts", data=data),
        ])
