"""The setup link's page: the end customer maps the environment's custom fields to the fields atsbridge
discovered in their ATS (``integration_fields``), written to ``custom_field_mappings``.

A changed mapping makes already synced data stale, so it sets ``data_expired_at`` (cleared by the next
successful full sync).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import Request
from sqlalchemy import delete, insert, select, update
from starlette.responses import Response

from atsbridge.connect import links
from atsbridge.connect.i18n import translator
from atsbridge.connect.links import Link
from atsbridge.connectors.registry import get_connector
from atsbridge.core.timeutil import utcnow
from atsbridge.runtime.state import app_state
from atsbridge.store.tables import custom_field_mappings, custom_fields, integration_fields, integrations
from atsbridge.web import csrf
from atsbridge.web.templates import render


def _rows(request: Request, link: Link) -> tuple[list[Any], dict[str, list[Any]], dict[str, str]]:
    """(custom fields, integration fields by model, current mapping custom field id -> integration field id)."""
    with app_state(request).engine.connect() as conn:
        wanted = conn.execute(
            select(custom_fields)
            .where(custom_fields.c.environment_id == link.environment_id)
            .order_by(custom_fields.c.model, custom_fields.c.key)
        ).all()
        found = conn.execute(
            select(integration_fields)
            .where(integration_fields.c.integration_id == link.integration_id)
            .order_by(integration_fields.c.model, integration_fields.c.type, integration_fields.c.key)
        ).all()
        current = conn.execute(
            select(custom_field_mappings).where(custom_field_mappings.c.integration_id == link.integration_id)
        ).all()
    by_model: dict[str, list[Any]] = defaultdict(list)
    for row in found:
        by_model[row.model].append(row)
    return list(wanted), dict(by_model), {r.custom_field_id: r.integration_field_id for r in current}


def page(request: Request, secret: str, link: Link, *, saved: bool = False) -> Response:
    state = app_state(request)
    t = translator(link.language)
    integration = state.integration(link.integration_id) if link.integration_id else None
    if integration is None:
        return render("connect_gone.html", status_code=410, t=t, lang=t.language, message=t("gone_unknown"))
    wanted, by_model, current = _rows(request, link)
    tool = get_connector(integration.tool).label
    return render(
        "connect_setup.html",
        t=t,
        lang=t.language,
        secret=secret,
        tool=tool,
        org=link.end_user_organization_name,
        wanted=wanted,
        by_model=by_model,
        current=current,
        saved=saved,
        csrf_token=csrf.issue(state.secret, f"connect:{link.id}", 24 * 3600),
    )


def save(request: Request, link: Link, form: dict[str, str]) -> Response:
    """Replace the integration's mappings with the submitted ones (unknown or foreign field ids are ignored)."""
    wanted, by_model, current = _rows(request, link)
    chosen: dict[str, str] = {}
    for field in wanted:
        value = form.get(f"map_{field.id}", "")
        if value and value in {f.id for f in by_model.get(field.model, [])}:
            chosen[field.id] = value
    engine = app_state(request).engine
    with engine.begin() as conn:
        conn.execute(delete(custom_field_mappings).where(custom_field_mappings.c.integration_id == link.integration_id))
        if chosen:
            conn.execute(
                insert(custom_field_mappings),
                [
                    {"integration_id": link.integration_id, "custom_field_id": cf, "integration_field_id": inf}
                    for cf, inf in chosen.items()
                ],
            )
        if chosen != current:
            conn.execute(
                update(integrations).where(integrations.c.id == link.integration_id).values(data_expired_at=utcnow())
            )
        links.complete(conn, link.id, str(link.integration_id))
    t = translator(link.language)
    return render("connect_success.html", t=t, lang=t.language, message=t("saved"), token=None, integration_id=None)
