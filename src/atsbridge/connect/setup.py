"""The setup link's page: the end customer maps the environment's custom fields to the fields atsbridge
discovered in their ATS (``integration_fields``), written to ``custom_field_mappings``; and, where statuses are
their own (most ATS let each customer name their stages and statuses), says which of them mean hired or
declined: the integration's status map (``config["status_map"]``, also ``GET/PUT .../status-map``).

A changed mapping makes already synced data stale, so it sets ``data_expired_at`` (cleared by the next
successful full sync); a changed status map also queues that FULL sync (:mod:`atsbridge.fields.status_map`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import orjson
from fastapi import Request
from sqlalchemy import Connection, delete, insert, select, update
from starlette.responses import Response

from atsbridge.connect import links
from atsbridge.connect.i18n import translator
from atsbridge.connect.links import Link
from atsbridge.connectors.registry import get_connector
from atsbridge.core.timeutil import utcnow
from atsbridge.fields import status_map
from atsbridge.runtime.state import app_state
from atsbridge.store.tables import (
    MODEL_TABLES,
    custom_field_mappings,
    custom_fields,
    integration_fields,
    integrations,
)
from atsbridge.web import csrf
from atsbridge.web.templates import render


def _rows(request: Request, link: Link) -> tuple[list[Any], dict[str, list[Any]], dict[str, str]] | None:
    """(custom fields, integration fields by model, current mapping custom field id -> integration field id);
    None when the integration was not connected with ``enable_field_mapping`` (no field-mapping step)."""
    with app_state(request).engine.connect() as conn:
        if not links.field_mapping_enabled(conn, str(link.integration_id)):
            return None
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


#: At most this many status names are offered (the API takes up to 500 entries).
MAX_STATUSES = 200


def _statuses(request: Request, link: Link) -> tuple[list[str], dict[str, str]]:
    """(status names to offer, the current map): the names of the stages synced from the ATS, then any name
    the map already holds; the current map as stored (names as the customer's ATS spells them). Nothing for
    a connector without an outcome rule (its outcomes are not status names)."""
    state = app_state(request)
    integration = state.integration(link.integration_id) if link.integration_id else None
    if integration is None or get_connector(integration.tool).outcomes is None:
        return [], {}
    current = status_map.stored(integration.config)
    table = MODEL_TABLES["application_stages"]
    with state.engine.connect() as conn:
        rows = conn.execute(
            select(table.c.data).where(table.c.integration_id == integration.id, table.c.remote_deleted_at.is_(None))
        )
        names: list[str] = []
        for row in rows:
            name = orjson.loads(row.data or "{}").get("name")
            if isinstance(name, str) and name.strip() and name not in names:
                names.append(name.strip())
    offered = sorted(set(names), key=str.lower)[:MAX_STATUSES]
    offered += [name for name in current if name not in offered]
    return offered, current


def page(request: Request, secret: str, link: Link, *, saved: bool = False) -> Response:
    state = app_state(request)
    t = translator(link.language)
    integration = state.integration(link.integration_id) if link.integration_id else None
    if integration is None:
        return render("connect_gone.html", status_code=410, t=t, lang=t.language, message=t("gone_unknown"))
    wanted, by_model, current = _rows(request, link) or ([], {}, {})
    statuses, outcomes = _statuses(request, link)
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
        statuses=statuses,
        outcomes=outcomes,
        saved=saved,
        csrf_token=csrf.issue(state.secret, f"connect:{link.id}", 24 * 3600),
    )


def _save_mapping(
    conn: Connection,
    link: Link,
    form: dict[str, str],
    wanted: list[Any],
    by_model: dict[str, list[Any]],
    current: dict[str, str],
) -> None:
    chosen: dict[str, str] = {}
    for field in wanted:
        value = form.get(f"map_{field.id}", "")
        if value and value in {f.id for f in by_model.get(field.model, [])}:
            chosen[field.id] = value
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


def save(request: Request, link: Link, form: dict[str, str]) -> Response:
    """Replace the integration's mappings with the submitted ones (unknown or foreign field ids are ignored),
    and its status map with the outcomes chosen for the offered statuses (a blank choice: the default)."""
    mapping = _rows(request, link)
    statuses, outcomes = _statuses(request, link)
    chosen_outcomes = {
        name: form[f"outcome_{i}"]
        for i, name in enumerate(statuses)
        if form.get(f"outcome_{i}") in ("HIRED", "DECLINED", "PENDING")
    }
    engine = app_state(request).engine
    with engine.begin() as conn:
        if mapping is not None:  # the field-mapping step was shown: its answer replaces the mapping
            _save_mapping(conn, link, form, *mapping)
        links.complete(conn, link.id, str(link.integration_id))
    if statuses and chosen_outcomes != outcomes:
        status_map.set_status_map(engine, str(link.integration_id), chosen_outcomes)
    app_state(request).forget_integration(str(link.integration_id))  # its config changed: no stale copy here
    t = translator(link.language)
    return render("connect_success.html", t=t, lang=t.language, message=t("saved"), token=None, integration_id=None)
