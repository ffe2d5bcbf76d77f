"""Offline full-text search over a directory of text documents (the ``search`` tool)."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import attrs

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
TEXT_SUFFIXES = frozenset({".md", ".txt", ".rst", ".html", ".htm", ".json", ".csv", ".yaml"})
SNIPPET_CHARS = 240


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``."""
    return [w.lower() for w in _WORD.findall(text)]


@attrs.frozen(kw_only=True)
class Document:
    """One document of the corpus: its path relative to the corpus root, title and text."""

    path: str
    title: str
    text: str
    counts: Counter[str]


@attrs.frozen(kw_only=True)
class Corpus:
    """Documents indexed for ranked search (BM25 over words)."""

    documents: tuple[Document, ...]

    @classmethod
    def load(cls, root: Path) -> Corpus:
        """Read every text file under ``root`` (UTF-8; undecodable bytes replaced)."""
        docs = []
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            if file.suffix.lower() not in TEXT_SUFFIXES:
                continue
            text = file.read_bytes().decode("utf-8", errors="replace")
            title = next((line.strip("# ").strip() for line in text.splitlines()
                          if line.strip()), file.stem)
            docs.append(Document(path=file.relative_to(root).as_posix(), title=title,
                                 text=text, counts=Counter(words(text))))
        return cls(documents=tuple(docs))

    def search(self, query: str, limit: int = 5) -> list[dict[str, object]]:
        """The best ``limit`` documents for ``query``: path, title, snippet and score."""
        terms = set(words(query))
        if not terms or not self.documents:
            return []
        scored = [(self._score(doc, terms), doc) for doc in self.documents]
        ranked = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1].path))
        return [{"path": doc.path, "title": doc.title, "score": round(score, 4),
                 "snippet": _snippet(doc.text, terms)} for score, doc in ranked[:limit]]

    def read(self, path: str) -> str:
        """The full text of the document at ``path`` (as search returned it)."""
        for doc in self.documents:
            if doc.path == path:
                return doc.text
        raise LookupError(f"no document {path!r} in the corpus")

    def _score(self, doc: Document, terms: set[str]) -> float:
        n = len(self.documents)
        average = sum(d.counts.total() for d in self.documents) / n or 1.0
        length = doc.counts.total()
        score = 0.0
        for term in terms:
            tf = doc.counts.get(term, 0)
            if not tf:
                continue
            df = sum(1 for d in self.documents if term in d.counts)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / average))
        return score


def _snippet(text: str, terms: set[str]) -> str:
    lowered = text.lower()
    hits = [i for t in terms if (i := lowered.find(t)) >= 0]
    start = max(0, min(hits) - 60) if hits else 0
    return " ".join(text[start:start + SNIPPET_CHARS].split())
