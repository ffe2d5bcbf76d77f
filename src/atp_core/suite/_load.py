"""Load a suite file: parse, substitute, check everything, report every problem at once."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

import attrs

from atp_core.errors import SuiteError, SuiteProblem
from atp_core.protocol import Suite
from atp_core.suite._build import build_suite
from atp_core.suite._fields import Reader
from atp_core.suite._problems import Problems
from atp_core.suite._subst import substitute_tree
from atp_core.suite._yaml import parse_yaml


def load_suite(
    path: str | os.PathLike[str],
    env: Mapping[str, str] | None = None,
    *,
    default_timeout: float | None = None,
) -> Suite:
    """Load the suite file at ``path``.

    Args:
        path: the suite file; a ``workspace_fixture`` is relative to its directory.
        env: variables for ``${VAR}`` substitution (default: ``os.environ``).
        default_timeout: the per-run deadline when neither the suite's ``defaults`` nor a
            test sets one (config ``runner.default_timeout``; 120 s without it).

    Raises:
        SuiteError: listing every problem of the file, each at its ``file:line:col``.
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        problem = SuiteProblem(message=f"cannot read suite file: {reason}", file=str(file))
        raise SuiteError([problem]) from exc
    suite = load_suite_text(text, str(file), file.parent, env, default_timeout=default_timeout)
    return attrs.evolve(suite, source=str(file), content_hash=hashlib.sha256(raw).hexdigest())


def load_suite_text(
    text: str,
    filename: str,
    base_dir: Path,
    env: Mapping[str, str] | None = None,
    *,
    default_timeout: float | None = None,
) -> Suite:
    """Load a suite from ``text``; ``filename`` names it in messages.

    Args:
        text: the YAML of the suite.
        filename: shown in every problem's ``file:line:col``.
        base_dir: where relative ``workspace_fixture`` paths start.
        env: variables for ``${VAR}`` substitution (default: ``os.environ``).

    Raises:
        SuiteError: listing every problem found, ordered by line and column.
    """
    doc = parse_yaml(text, filename)
    problems = Problems(doc=doc, file=filename)
    data = substitute_tree(doc.data, os.environ if env is None else env, problems)
    suite = build_suite(Reader(problems), data, base_dir, default_timeout)
    if problems.items:
        raise SuiteError(sorted(problems.items, key=lambda p: (p.line, p.column)))
    return attrs.evolve(suite, content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest())
