"""``atp baseline save|list|compare``: named reference runs and regression checks."""

from __future__ import annotations

import argparse
from typing import Any

from atp_cli._store import add_db_flag


def add_parser(commands: Any) -> None:
    """Register the command and its subcommands."""
    p = commands.add_parser(
        "baseline", help="save baselines and compare suite runs with them",
        description="Per test: Welch's t-test on run scores and Fisher's exact test on pass "
        "counts, exact p-values corrected for the number of tests (Holm or Benjamini-Hochberg).",
    )
    p.set_defaults(handler=None)
    sub = p.add_subparsers(title="subcommands", metavar="SUBCOMMAND")
    save = sub.add_parser("save", help="save a stored suite run as a named baseline")
    save.add_argument("id", metavar="SUITE_RUN_ID")
    save.add_argument("--name", required=True, help="baseline name (replaces one of that name)")
    add_db_flag(save)
    save.set_defaults(handler=handle_save)
    ls = sub.add_parser("list", help="saved baselines")
    ls.add_argument("--suite", help="only baselines of this suite")
    add_db_flag(ls)
    ls.set_defaults(handler=handle_list)
    cmp = sub.add_parser("compare", help="compare a stored suite run with a baseline")
    cmp.add_argument("id", metavar="SUITE_RUN_ID")
    cmp.add_argument("--baseline", required=True, metavar="NAME")
    cmp.add_argument("--alpha", type=float, default=0.05, help="significance level (0.05)")
    cmp.add_argument("--correction", choices=["holm", "bh"], default="holm",
                     help="multiple-test correction: holm (default) or bh")
    cmp.add_argument("--format", choices=["console", "json", "markdown"], default="console")
    cmp.add_argument("--fail-on-regression", action="store_true",
                     help="exit 1 when any test regressed")
    add_db_flag(cmp)
    cmp.set_defaults(handler=handle_compare)


def handle_save(args: argparse.Namespace) -> int:
    """Save the baseline."""
    from atp_cli._results import with_store
    from atp_core.baseline import save_baseline

    async def work(store: Any) -> int:
        await save_baseline(store, args.id, args.name)
        print(f"atp: saved suite run {args.id} as baseline {args.name!r}")
        return 0

    return with_store(args, work)


def handle_list(args: argparse.Namespace) -> int:
    """List baselines."""
    from atp_cli._results import with_store
    from atp_core.baseline import list_baselines

    async def work(store: Any) -> int:
        records = await list_baselines(store, args.suite)
        for r in records:
            print(f"{r.name:<24} {r.suite:<24} {r.agent:<20} {r.suite_run_id}  {r.created_at}")
        print(f"{len(records)} baselines")
        return 0

    return with_store(args, work)


def handle_compare(args: argparse.Namespace) -> int:
    """Compare and print; exit 1 on regression when asked."""
    from atp_cli._results import with_store
    from atp_core.baseline import compare_with_baseline, render_comparison

    if not 0 < args.alpha < 1:
        from atp_core.errors import ConfigError

        raise ConfigError("--alpha must be between 0 and 1")

    async def work(store: Any) -> int:
        comparison = await compare_with_baseline(store, args.id, args.baseline,
                                                 alpha=args.alpha, correction=args.correction)
        print(render_comparison(comparison, args.format).rstrip("\n"))
        return 1 if args.fail_on_regression and comparison.has_regression else 0

    return with_store(args, work)
