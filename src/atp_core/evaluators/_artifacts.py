"""Artifact checks: artifact_exists, contains, schema and sections (SPEC §2)."""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

import attrs

from atp_core.errors import ConfigError
from atp_core.evaluators._outcome import (
    Outcome,
    check_pattern,
    failed,
    names,
    passed,
    pattern_found,
    shown,
    skipped,
)
from atp_core.evaluators._sources import (
    Gathered,
    Source,
    artifact_label,
    artifact_source,
    available,
    gather,
    matching_artifacts,
    workspace_path,
)
from atp_core.protocol import (
    AssertionSpec,
    CheckResult,
    EvalContext,
    FileArtifact,
    StructuredArtifact,
)

_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
_MAX_SCHEMA_ERRORS = 3


def _unread(gathered: Gathered) -> str:
    return "; ".join(s.problem or s.label for s in gathered.unreadable)


@attrs.frozen(kw_only=True)
class ArtifactExistsConfig:
    """``artifact_exists``: an artifact path, a structured artifact name or a workspace file."""

    path: str

    def __attrs_post_init__(self) -> None:
        if not self.path:
            raise ConfigError("path must not be empty")


class ArtifactExists:
    """Passes when the response has the artifact or the workspace has the file."""

    config_type: ClassVar[type[Any]] = ArtifactExistsConfig

    def __init__(self, config: ArtifactExistsConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Look for the artifact in the response, then for the file in the workspace."""
        return self._judge(ctx).result(self.spec)

    def _judge(self, ctx: EvalContext) -> Outcome:
        path = self.config.path
        found = matching_artifacts(ctx, path)
        if found:
            return passed(f"artifact {artifact_label(found[0])} found", path=path)
        if workspace_path(ctx, path) is not None:
            return passed(f"{path!r} found in the workspace", path=path)
        if not ctx.workspace.is_dir():
            return skipped(
                f"no artifact {path!r}, and the workspace {ctx.workspace} does not exist, "
                "so its files could not be checked",
                path=path,
            )
        return failed(
            f"no artifact or workspace file {path!r} (artifacts: {available(ctx)})", path=path
        )


@attrs.frozen(kw_only=True)
class ContainsConfig:
    """``contains``: a substring or regex searched in artifact contents."""

    pattern: str
    regex: bool = False
    path: str | None = None

    def __attrs_post_init__(self) -> None:
        check_pattern(self.pattern, self.regex)


class Contains:
    """Passes when the pattern occurs in any searched artifact."""

    config_type: ClassVar[type[Any]] = ContainsConfig

    def __init__(self, config: ContainsConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Search the artifact at ``path``, or every artifact."""
        return self._judge(ctx).result(self.spec)

    def _judge(self, ctx: EvalContext) -> Outcome:
        cfg = self.config
        what = f"{'regex' if cfg.regex else 'pattern'} {cfg.pattern!r}"
        gathered = gather(ctx, cfg.path)
        if gathered.missing:
            return failed(f"{what}: {gathered.missing}")
        hits = [
            s.label
            for s in gathered.readable
            if pattern_found(cfg.pattern, cfg.regex, s.text or "")
        ]
        searched = [s.label for s in gathered.readable]
        if hits:
            return passed(f"{what} found in {names(hits)}", found_in=hits)
        if gathered.unreadable:
            return skipped(
                f"{what} not found in {names(searched)}; could not search: {_unread(gathered)}",
                searched=searched,
            )
        return failed(f"{what} not found in {_described(gathered.readable)}", searched=searched)


def _described(sources: list[Source]) -> str:
    if len(sources) == 1:
        text = sources[0].text or ""
        return f"{sources[0].label}, which starts {shown(text[:60])}"
    return names([s.label for s in sources])


@attrs.frozen(kw_only=True)
class SchemaConfig:
    """``schema``: a JSON Schema for a structured artifact or a JSON file artifact."""

    schema: dict[str, Any]
    path: str | None = None

    def __attrs_post_init__(self) -> None:
        import jsonschema

        try:
            jsonschema.validators.validator_for(self.schema).check_schema(self.schema)
        except jsonschema.SchemaError as exc:
            raise ConfigError(f"invalid JSON Schema: {exc.message}") from exc


class SchemaCheck:
    """Passes when every targeted document validates against the schema."""

    config_type: ClassVar[type[Any]] = SchemaConfig

    def __init__(self, config: SchemaConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Validate the artifact at ``path``, or every structured and JSON artifact."""
        return self._judge(ctx).result(self.spec)

    def _targets(self, ctx: EvalContext) -> Gathered:
        if self.config.path is not None:
            return gather(ctx, self.config.path)
        sources = [artifact_source(ctx, a) for a in ctx.response.artifacts if _is_json(a)]
        if not sources:
            return Gathered(
                readable=[],
                unreadable=[],
                missing=f"no structured or JSON artifact to validate (artifacts: {available(ctx)})",
            )
        return Gathered(
            readable=[s for s in sources if s.text is not None],
            unreadable=[s for s in sources if s.text is None],
        )

    def _judge(self, ctx: EvalContext) -> Outcome:
        gathered = self._targets(ctx)
        if gathered.missing:
            return failed(gathered.missing)
        problems = {s.label: _violations(self.config.schema, s) for s in gathered.readable}
        bad = {label: errs for label, errs in problems.items() if errs}
        total = len(gathered.readable) + len(gathered.unreadable)
        score = (len(problems) - len(bad)) / total
        if bad:
            text = "; ".join(f"{label}: {', '.join(errs)}" for label, errs in bad.items())
            return failed(f"schema violations in {text}", score=score, violations=bad)
        if gathered.unreadable:
            return skipped(f"could not validate: {_unread(gathered)}")
        return passed(f"{names(list(problems))} valid against the schema")


def _is_json(artifact: Any) -> bool:
    if isinstance(artifact, StructuredArtifact):
        return True
    if isinstance(artifact, FileArtifact):
        return "json" in (artifact.content_type or "") or artifact.path.endswith(".json")
    return False


def _violations(schema: dict[str, Any], source: Source) -> list[str]:
    """The first few schema violations of ``source`` as ``json_path: message``."""
    import jsonschema

    if source.data is not None:
        data: Any = source.data
    else:
        try:
            data = json.loads(source.text or "")
        except json.JSONDecodeError as exc:
            return [f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"]
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    shown_errors = [f"{e.json_path}: {e.message}" for e in errors[:_MAX_SCHEMA_ERRORS]]
    if len(errors) > _MAX_SCHEMA_ERRORS:
        shown_errors.append(f"and {len(errors) - _MAX_SCHEMA_ERRORS} more")
    return shown_errors


@attrs.frozen(kw_only=True)
class SectionsConfig:
    """``sections``: Markdown headings or phrases that must be present."""

    sections: list[str]
    path: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.sections or not all(s.strip() for s in self.sections):
            raise ConfigError("sections must list at least one non-empty heading or phrase")


class Sections:
    """Scores the share of sections present (as a heading or a phrase, case-insensitive)."""

    config_type: ClassVar[type[Any]] = SectionsConfig

    def __init__(self, config: SectionsConfig, spec: AssertionSpec) -> None:
        self.config = config
        self.spec = spec

    async def evaluate(self, ctx: EvalContext) -> CheckResult:
        """Look for each section in the artifact at ``path``, or in every artifact."""
        return self._judge(ctx).result(self.spec)

    def _judge(self, ctx: EvalContext) -> Outcome:
        gathered = gather(ctx, self.config.path)
        if gathered.missing:
            return failed(f"sections: {gathered.missing}")
        texts = [s.text or "" for s in gathered.readable]
        found = {s: _find_section(s, texts) for s in self.config.sections}
        missing = [s for s, how in found.items() if how is None]
        present = {s: how for s, how in found.items() if how is not None}
        score = len(present) / len(found)
        if not missing:
            return passed(f"all {len(found)} sections present", found=present)
        if gathered.unreadable:
            return skipped(
                f"missing {names(missing)} in what could be read; could not read: "
                f"{_unread(gathered)}",
                found=present,
            )
        return failed(
            f"missing sections: {names(missing)} ({len(present)}/{len(found)} present)",
            score=score,
            found=present,
            missing=missing,
        )


def _find_section(section: str, texts: list[str]) -> str | None:
    """``"heading"``, ``"phrase"`` or ``None`` for where ``section`` appears."""
    wanted = section.strip().lower()
    for text in texts:
        if any(h.strip().lower() == wanted for h in _HEADING.findall(text)):
            return "heading"
    if any(wanted in text.lower() for text in texts):
        return "phrase"
    return None
