"""The hosted Connect page (``/connect/{link secret}``): pick the ATS, fill in its credential form, get a
live answer. Server-rendered, works without JavaScript; every POST carries a CSRF token bound to the link.

Nothing here raises to the API's JSON error handler: unknown, expired, used or locked links get a friendly
page (404/410), a failed check re-shows the form with the vendor's explanation.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from atsbridge.connect import flow, forms, links, setup
from atsbridge.connect.i18n import Translate, translator
from atsbridge.connect.links import Link
from atsbridge.connectors.base import Connector
from atsbridge.connectors.registry import get_connector, known_tools
from atsbridge.core.timeutil import utcnow
from atsbridge.core.urls import public_base
from atsbridge.lifecycle import vendor_webhooks
from atsbridge.runtime.state import app_state
from atsbridge.store import platform
from atsbridge.store import vendor_webhooks as hooks
from atsbridge.web import csrf
from atsbridge.web.forms import read_form
from atsbridge.web.templates import render

log = logging.getLogger("atsbridge.connect")
router = APIRouter(include_in_schema=False)

#: Matches the link's lifetime for embedded links; a magic link's page just needs a reload after a day.
CSRF_TTL_SECONDS = 24 * 3600


def connectable() -> list[Connector]:
    found = [get_connector(tool) for tool in known_tools()]
    return sorted((c for c in found if c.connect is not None), key=lambda c: (c.tool == "sandbox", c.label.lower()))


def _tool(key: str | None) -> Connector | None:
    if not key or key not in known_tools():
        return None
    connector = get_connector(key)
    return connector if connector.connect is not None else None


def _load(request: Request, secret: str) -> tuple[Link | None, Response | None]:
    """The open link, or the page to show instead (404 unknown, 410 expired/used/locked)."""
    with app_state(request).engine.connect() as conn:
        link = links.find(conn, secret)
    if link is None:
        return None, _gone(translator("en"), "unknown", 404)
    state = link.state()
    if state != "open":
        return None, _gone(translator(link.language), state, 410)
    return link, None


def _gone(t: Translate, state: str, status: int) -> Response:
    return render("connect_gone.html", status_code=status, t=t, lang=t.language, message=t(f"gone_{state}"))


def _subject(link: Link) -> str:
    return f"connect:{link.id}"


def _fixed_tool(request: Request, link: Link) -> str | None:
    """The tool the link is bound to: a relink's integration, or the one create-link preselected."""
    if link.purpose in ("relink", "setup") and link.integration_id:
        integration = app_state(request).integration(link.integration_id)
        return integration.tool if integration is not None else None
    return link.integration_tool


def _form_page(
    request: Request,
    secret: str,
    link: Link,
    connector: Connector,
    *,
    echo: dict[str, str] | None = None,
    error: str | None = None,
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    state = app_state(request)
    spec = connector.connect
    assert spec is not None
    t = translator(link.language)
    fields = forms.visible_fields(spec, state.settings)
    advanced = [f for f in fields if f.advanced]
    echo = echo or {}
    problems = problems or {}
    return render(
        "connect_form.html",
        status_code=status,
        t=t,
        lang=t.language,
        secret=secret,
        link=link,
        connector=connector,
        spec=spec,
        plain_fields=[f for f in fields if not f.advanced],
        advanced_fields=advanced,
        advanced_open=any(echo.get(f.key) or f.key in problems for f in advanced),
        echo=echo,
        error=error,
        problems=problems,
        attempts_left=links.MAX_FAILED_ATTEMPTS - link.failed_attempts,
        can_go_back=_fixed_tool(request, link) is None,
        csrf_token=csrf.issue(state.secret, _subject(link), CSRF_TTL_SECONDS),
        title=t("relink_title" if link.purpose == "relink" else "form_title", tool=connector.label),
    )


@router.get("/connect/{secret}")
def connect_page(secret: str, request: Request, tool: str | None = None, q: str | None = None) -> Response:
    link, page = _load(request, secret)
    if link is None:
        assert page is not None
        return page
    if link.purpose == "setup":
        return setup.page(request, secret, link)
    t = translator(link.language)
    fixed = _fixed_tool(request, link)
    chosen = _tool(fixed or tool)
    if chosen is not None:
        return _form_page(request, secret, link, chosen)
    query = (q or "").strip()[:100]
    tools = [c for c in connectable() if query.lower() in c.label.lower() or query.lower() in c.tool]
    return render(
        "connect_pick.html",
        t=t,
        lang=t.language,
        secret=secret,
        link=link,
        tools=tools,
        query=query,
        notice=t("unknown_tool") if tool else None,
    )


@router.post("/connect/{secret}")
async def submit_credentials(secret: str, request: Request) -> Response:
    link, page = _load(request, secret)
    if link is None:
        assert page is not None
        return page
    state = app_state(request)
    form = await read_form(request)
    t = translator(link.language)
    if not csrf.valid(state.secret, _subject(link), form.get("csrf")):
        return render("connect_gone.html", status_code=403, t=t, lang=t.language, message=t("csrf_failed"))
    connector = _tool(_fixed_tool(request, link) or form.get("tool"))
    if connector is None or link.purpose == "setup":
        return render("connect_gone.html", status_code=400, t=t, lang=t.language, message=t("unknown_tool"))
    spec = connector.connect
    assert spec is not None
    submission = forms.read(spec, state.settings, form)
    if submission.problems:
        problems = {key: t(msg, **args) for key, (msg, args) in submission.problems.items()}
        return _form_page(request, secret, link, connector, echo=submission.echo, problems=problems, status=400)
    base = public_base(state.settings, str(request.base_url))
    outcome = await flow.submit(
        state.engine, state.settings, link, connector.tool, submission.config, submission.credentials, base
    )
    if outcome.error is not None or outcome.token is None:
        with state.engine.connect() as conn:
            fresh = links.get(conn, link.id) or link
        if fresh.state() != "open":
            return _gone(t, fresh.state(), 410)
        return _form_page(request, secret, fresh, connector, echo=submission.echo, error=outcome.error, status=400)
    if outcome.integration_id:
        state.forget_integration(outcome.integration_id)
    body = "relink_success_body" if link.purpose == "relink" else "success_body"
    return render(
        "connect_success.html",
        t=t,
        lang=t.language,
        message=t(body, tool=connector.label),
        token=outcome.token,
        integration_id=outcome.integration_id,
        realtime=await _realtime(request, outcome.integration_id, base),
        tool=connector.label,
        org=link.end_user_organization_name,
        secret=secret,
    )


async def _realtime(request: Request, integration_id: str | None, base: str) -> vendor_webhooks.Made | None:
    """For a vendor whose webhooks an admin sets up by hand (Greenhouse...): the URL and secret to paste, made
    now and shown only on this page. Vendors with a registration API get theirs after the first sync."""
    state = app_state(request)
    if integration_id is None:
        return None
    with state.engine.connect() as conn:  # not the cached copy: it would outlive the first sync by a second
        integration = platform.get_integration(conn, integration_id)
    spec = vendor_webhooks.spec_of(integration.tool) if integration is not None else None
    if integration is None or spec is None or spec.registration != "manual":
        return None
    try:
        return await vendor_webhooks.register(state.engine, state.settings, integration, base)
    except Exception:  # the connection itself succeeded; webhooks can be set up later by the API or dashboard
        log.warning("could not prepare vendor webhooks for %s", integration.id, exc_info=True)
        return None


#: How long after connecting the page may ask whether the vendor's first event arrived.
_STATUS_WINDOW = timedelta(hours=2)


@router.get("/connect/{secret}/webhook-status")
def webhook_status(secret: str, request: Request) -> Response:
    """``{"received": bool}``: has the vendor's first webhook event (its test ping) arrived? Asked by the success
    page; answers only for a link that connected an integration in the last two hours."""
    state = app_state(request)
    with state.engine.connect() as conn:
        link = links.find(conn, secret)
        fresh = link is not None and link.completed_at is not None and link.integration_id is not None
        if not fresh or link is None or link.completed_at is None or utcnow() - link.completed_at > _STATUS_WINDOW:
            return JSONResponse({"received": False, "known": False}, status_code=404)
        heard = hooks.health(conn, str(link.integration_id))
    return JSONResponse({"received": heard.last_event_at is not None, "known": True})


@router.post("/connect/{secret}/setup")
async def submit_setup(secret: str, request: Request) -> Response:
    link, page = _load(request, secret)
    if link is None:
        assert page is not None
        return page
    state = app_state(request)
    form = await read_form(request)
    t = translator(link.language)
    if not csrf.valid(state.secret, _subject(link), form.get("csrf")) or link.purpose != "setup":
        return render("connect_gone.html", status_code=403, t=t, lang=t.language, message=t("csrf_failed"))
    return setup.save(request, link, form)
