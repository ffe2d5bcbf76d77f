"""``atp benchmark list|info|run``: the shipped benchmark suites, their scores and baselines."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from atp_cli._observe import add_observability_flags
from atp_cli._store import add_db_flag

HELP = """\
The benchmark registry: ready suites in four categories (coding, research, reasoning,
data_processing). A benchmark's score is 100 x passed runs / all runs (0-100); scores are
comparable only between runs of the same benchmark version. Each benchmark ships the
measured scores of the reference agents (builtin:ref-solver, builtin:ref-trivial,
builtin:ref-cheater) in its baseline.json."""

RUN_HELP = """\
Run a benchmark (NAME or category/NAME) or every benchmark of a CATEGORY against an agent,
store the results like `atp run` does (unless --no-store), and print the score next to the
shipped baselines of the same version. Failed tests are part of a score, so the exit code is
0 unless the command line is invalid (2), an agent or the infrastructure failed (3) or the
run was interrupted (130). --update-baseline writes the measured score of a built-in agent
into the benchmark's baseline.json (how the shipped baselines were made)."""


def add_parser(commands: Any) -> None:
    """Register ``atp benchmark`` and its subcommands."""
    p = commands.add_parser("benchmark", help="list, describe and run the shipped benchmarks",
                            description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(title="subcommands", metavar="SUBCOMMAND", required=True)
    listing = sub.add_parser("list", help="every benchmark with its test count")
    listing.add_argument("--category", metavar="CATEGORY", help="only this category")

    listing.set_defaults(handler=handle_list)
    info = sub.add_parser("info", help="one benchmark: version, tests, baselines")
    info.add_argument("name", metavar="NAME", help="benchmark name or category/name")
    info.set_defaults(handler=handle_info)
    run = sub.add_parser("run", help="run benchmarks against an agent", description=RUN_HELP,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("selector", metavar="CATEGORY|NAME", help="a category or a benchmark")
    run.add_argument("--agent", metavar="NAME", help="builtin:NAME or an agent name")
    run.add_argument("--adapter", metavar="TYPE", help="adapter type (http, cli, python, ...)")
    run.add_argument("--adapter-config", metavar="K=V", action="append", default=[],
                     help="adapter config value; repeatable")
    run.add_argument("--runs", type=int, metavar="N", help="runs per test (default 1)")
    run.add_argument("--parallel", type=int, metavar="N", help="runs executing at once")
    run.add_argument("--sandbox", choices=["auto", "bwrap", "container", "none"],
                     help="how the coding checks confine agent code")
    run.add_argument("--report", metavar="FORMAT[:PATH]", action="append", default=[],
                     help="also write these reports (as `atp run --report`)")
    run.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")
    run.add_argument("--config", metavar="K=V", action="append", default=[],
                     help="override a config value; repeatable")
    add_db_flag(run)
    add_observability_flags(run)
    run.add_argument("--no-store", action="store_true", help="do not store the results")
    run.add_argument("--update-baseline", action="store_true",
                     help="record the score of this built-in agent in baseline.json")
    run.set_defaults(handler=handle_run)
    for command in (listing, info, run):
        command.add_argument("--dir", metavar="DIR", type=Path,
                             help="benchmarks root holding CATEGORY/NAME/suite.yaml "
                             "(default: the shipped benchmarks)")


def handle_list(args: argparse.Namespace) -> int:
    """Print every benchmark, grouped by category, with its version and test count."""
    from atp_core.benchmarks import list_benchmarks

    found = list_benchmarks(args.dir, category=args.category)
    category = None
    for bench in found:
        if bench.category != category:
            category = bench.category
            print(category)
        print(f"  {bench.name:<20} v{bench.version:<5} {bench.test_count:>3} tests  "
              f"{bench.description}")
    total = sum(b.test_count for b in found)
    print(f"{len(found)} benchmarks, {total} tests")
    return 0


def handle_info(args: argparse.Namespace) -> int:
    """Print one benchmark: metadata, baselines and its tests."""
    from atp_cli._env import substitution_env
    from atp_core.benchmarks import load_baselines, select_benchmarks
    from atp_core.suite import load_suite

    bench = _one(select_benchmarks(args.name, args.dir), args.name)
    suite = load_suite(bench.suite_path, env=substitution_env())
    print(f"{bench.full_name} (version {bench.version}): {bench.description}")
    print(f"  suite: {bench.suite_path}")
    print("  score: 100 x passed runs / all runs; a run passes when every check passes")
    baselines = load_baselines(bench.baseline_path)
    if baselines is None or baselines.version != bench.version:
        print(f"  no baselines measured for version {bench.version}")
    else:
        for entry in baselines.entries:
            print(f"  baseline {entry.agent}: {entry.score:.2f} ({entry.passed_runs}/"
                  f"{entry.total_runs} runs) on {entry.date[:10]} with ATP "
                  f"{entry.atp_version}; reproduce: {entry.command}")
    print(f"  {len(suite.tests)} tests:")
    for test in suite.tests:
        print(f"    {test.id:<10} {test.name}")
    return 0


def _one(found: list[Any], name: str) -> Any:
    from atp_core.errors import ConfigError

    if len(found) != 1:
        raise ConfigError(f"{name!r} is a category; name one benchmark of it")
    return found[0]


def handle_run(args: argparse.Namespace) -> int:
    """Run the chosen benchmarks, then print their scores against the baselines."""
    import tempfile

    from atp_cli._run import StorePlan, load_config_for, run_requests
    from atp_cli._store import database_url, require_positive
    from atp_core.benchmarks import select_benchmarks
    from atp_core.errors import ConfigError

    if args.update_baseline and not (args.agent or "").startswith("builtin:"):
        raise ConfigError("--update-baseline records reference scores: use --agent builtin:NAME")
    require_positive(args.runs, "--runs")
    config = load_config_for(args)
    chosen = select_benchmarks(args.selector, args.dir)
    with tempfile.TemporaryDirectory(prefix="atp-benchmark-") as tmp:
        requests = [_request(args, config, bench, Path(tmp)) for bench in chosen]
        store = None if args.no_store else StorePlan(url=database_url(config))
        code = run_requests(requests, store, args)
        results = [_read_result(Path(tmp) / f"{bench.name}.json") for bench in chosen]
    done = [(b, r) for b, r in zip(chosen, results, strict=True) if r is not None]
    print(_score_table(done))
    if args.update_baseline:
        _update_baselines(done, args.agent, errors=code == 3)
    return 0 if code == 1 else code


def _request(args: argparse.Namespace, config: Any, bench: Any, tmp: Any) -> Any:
    from atp_cli._agents import select_agents, validate_agents
    from atp_cli._env import substitution_env
    from atp_cli._reports import ReportTarget, parse_report_targets
    from atp_cli._run import RunRequest
    from atp_core.suite import load_suite

    suite = load_suite(bench.suite_path, env=substitution_env())
    agents = select_agents(suite, args.agent, args.adapter, args.adapter_config)[:1]
    validate_agents(agents)
    # The JSON report is how the score is read back; it is written whatever else is asked.
    targets = [ReportTarget(fmt="json", path=tmp / f"{bench.name}.json")]
    if args.report:
        targets += parse_report_targets(args.report)
    return RunRequest(suite=suite, agents=agents, targets=targets, config=config,
                      runs=args.runs, progress=not args.no_progress)


def _read_result(path: Any) -> Any:
    from atp_core.reporters import load_json_report

    return load_json_report(path.read_text(encoding="utf-8")) if path.is_file() else None


def _score_table(done: list[tuple[Any, Any]]) -> str:
    from atp_core.benchmarks import benchmark_score, load_baselines

    lines = [f"{'benchmark':<32} {'version':<8} {'agent':<22} {'score':>7} {'runs':>7}  "
             "baselines (same version)"]
    for bench, result in done:
        score = benchmark_score(result)
        baselines = load_baselines(bench.baseline_path)
        if baselines is None or baselines.version != score.version:
            shown = f"none for version {score.version}"
        else:
            shown = ", ".join(f"{e.agent} {e.score:.2f}" for e in baselines.entries)
        lines.append(f"{bench.full_name:<32} {score.version:<8} {result.agent:<22} "
                     f"{score.score:>7.2f} {score.passed_runs:>3}/{score.total_runs:<3}  {shown}")
    return "\n".join(lines)


def _update_baselines(done: list[tuple[Any, Any]], agent: str, *, errors: bool) -> None:
    import sys

    from atp_core import __version__
    from atp_core.benchmarks import (
        BaselineEntry,
        benchmark_score,
        load_baselines,
        save_baselines,
        with_entry,
    )
    from atp_core.errors import ConfigError

    if errors:
        raise ConfigError("runs ended in errors; baselines are left unchanged")
    for bench, result in done:
        score = benchmark_score(result)
        entry = BaselineEntry(
            agent=result.agent, score=score.score, passed_runs=score.passed_runs,
            total_runs=score.total_runs, date=result.finished_at,
            atp_version=result.atp_version or __version__,
            command=f"atp benchmark run {bench.full_name} --agent {agent} --update-baseline",
        )
        old = load_baselines(bench.baseline_path)
        save_baselines(bench.baseline_path,
                       with_entry(old, bench.full_name, score.version, entry))
        print(f"atp: baseline of {result.agent} for {bench.full_name} written to "
              f"{bench.baseline_path}", file=sys.stderr)
