"""``/launch``: pick a suite file and an agent, start the run in the server, watch it live."""

from __future__ import annotations

from typing import Any

import anyio
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from atp_core.errors import AtpError
from atp_core.protocol import Suite
from atp_web import params
from atp_web.context import web
from atp_web.errors import BadRequest
from atp_web.services.launcher import LaunchRequest, agent_choices
from atp_web.services.suites import SuiteFile, find_suites


def pick_suite(suites: tuple[SuiteFile, ...], key: str | None) -> SuiteFile | None:
    if key is None:
        return None
    for suite in suites:
        if suite.key == key:
            return suite
    raise BadRequest(f"{key!r} is not one of the suite files this dashboard may run")


async def _load(suite: SuiteFile | None) -> tuple[Suite | None, str | None]:
    from atp_core.suite import load_suite

    if suite is None:
        return None, None
    try:
        return await anyio.to_thread.run_sync(load_suite, suite.path), None
    except AtpError as exc:
        return None, str(exc)


async def launch_form(request: Request) -> Response:
    """The form: suite files under the configured directories and the agents to choose from."""
    ctx = web(request)
    suites = await anyio.to_thread.run_sync(find_suites, ctx.settings.suites_dirs)
    chosen = pick_suite(suites, params.text(request.query_params, "suite", 4096))
    suite, problem = await _load(chosen)
    context: dict[str, Any] = {
        "suites": suites, "chosen": chosen, "agents": agent_choices(suite),
        "problem": problem, "suite": suite,
    }
    return ctx.pages.render(request, "launch.html", context, block="agent_field")


def _runs(form: FormData) -> int | None:
    raw = str(form.get("runs") or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise BadRequest(f"runs must be a whole number from 1 to 100, got {raw!r}")
    return int(raw)


async def launch_run(request: Request) -> Response:
    """Start the chosen suite against the chosen agent; redirect to its live page."""
    ctx = web(request)
    form = await request.form()
    suites = await anyio.to_thread.run_sync(find_suites, ctx.settings.suites_dirs)
    chosen = pick_suite(suites, str(form.get("suite") or "") or None)
    agent = str(form.get("agent") or "")
    if chosen is None or not agent:
        raise BadRequest("choose a suite file and an agent")
    launch = LaunchRequest(suite=chosen, agent=agent, runs=_runs(form))
    suite_run_id = await ctx.launcher.start(launch)
    return RedirectResponse(f"/runs/{suite_run_id}", status_code=303)
