"""Scope configs through the SDK and in the database itself: disabled models, fields and actions are never
fetched, stored or served; narrowing purges at once, widening refills with the next sync."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine, func, select

from atsbridge.core.config import Settings
from atsbridge.store import platform
from atsbridge.store.tables import MODEL_TABLES, SIDE_TABLES, sandbox_changes, sync_runs
from tests.conftest import Server, sync_now


def _api(server: Server, key: str, method: str, path: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, f"{server.v1}{path}", json=body, headers={"Authorization": f"Bearer {key}"})


def _count(engine: Engine, model: str, iid: str) -> int:
    t = MODEL_TABLES[model]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(t.c.integration_id == iid)).scalar_one())


def test_scopes_end_to_end(server: Server, engine: Engine, settings: Settings) -> None:
    with engine.begin() as conn:
        env = platform.create_environment(conn, "scoped")
        key = platform.create_api_key(conn, env, "t")
    narrow = {
        "models": {
            "notes": {"enabled": False},
            "candidates": {"fields": {"email_addresses": False, "phone_numbers": False}},
        },
        "actions": {"reject_application": False},
    }
    created = _api(server, key, "POST", "/scope-configs", {"name": "minimal", "settings": narrow, "is_default": True})
    assert created.status_code == 200, created.text
    config_id = created.json()["data"]["id"]
    with engine.begin() as conn:
        iid = platform.create_integration(conn, env, "sandbox", "Scoped", {"seed": 8, "size": "small"})
    sync_now(engine, settings, iid, full=True)

    # Nothing out of scope is in the database itself.
    assert _count(engine, "notes", iid) == 0
    cands = MODEL_TABLES["candidates"]
    with engine.connect() as conn:
        docs = [
            orjson.loads(d) for d in conn.execute(select(cands.c.data).where(cands.c.integration_id == iid)).scalars()
        ]
        embeds = list(conn.execute(select(cands.c.embed).where(cands.c.integration_id == iid)).scalars())
        side = SIDE_TABLES[("candidates", "emails")]
        emails = conn.execute(select(func.count()).where(side.c.integration_id == iid)).scalar_one()
    assert docs and all(d["email_addresses"] is None and d["phone_numbers"] is None for d in docs)
    assert all("@" not in e for e in embeds) and emails == 0

    k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
    with pytest.raises(KomboAtsError) as info:
        k.ats.get_notes()
    assert info.value.data.error.code == "INTEGRATION.MODEL_DISABLED"
    assert all(c.email_addresses is None for c in k.ats.get_candidates(page_size=250).result.data.results)
    app = k.ats.get_applications(page_size=1).result.data.results[0]
    assert app.candidate is not None and app.candidate.email_addresses is None
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).where(sandbox_changes.c.integration_id == iid)).scalar_one()
    reason = k.ats.get_rejection_reasons().result.data.results[0]
    with pytest.raises(KomboAtsError) as info:
        k.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id)
    assert info.value.data.error.code == "INTEGRATION.ACTION_DISABLED"
    with engine.connect() as conn:  # the sandbox ATS was not called
        assert conn.execute(select(func.count()).where(sandbox_changes.c.integration_id == iid)).scalar_one() == before

    details = k.general.get_integration_details(integration_id=iid).data
    by_id = {m.id: m for m in details.read_models}
    assert by_id["ats_notes"].scope_config_setting == "DISABLED" and not by_id["ats_notes"].is_available
    assert details.scope_config.id == config_id

    # Widening: a full sync is queued, and it refills.
    widened = _api(
        server, key, "PUT", f"/scope-configs/{config_id}", {"settings": {"models": {"scorecards": {"enabled": True}}}}
    )
    assert widened.status_code == 200, widened.text
    with engine.connect() as conn:
        queued = (
            conn.execute(
                select(sync_runs.c.type).where(sync_runs.c.integration_id == iid, sync_runs.c.status == "QUEUED")
            )
            .scalars()
            .all()
        )
    assert queued == ["FULL"]
    with engine.begin() as conn:
        conn.execute(sync_runs.delete().where(sync_runs.c.integration_id == iid, sync_runs.c.status == "QUEUED"))
    sync_now(engine, settings, iid, full=True)
    assert _count(engine, "notes", iid) > 0
    assert any(c.email_addresses for c in k.ats.get_candidates(page_size=250).result.data.results)

    # Narrowing: purged at once, before any sync.
    assert _count(engine, "scorecards", iid) > 0
    narrowed = _api(
        server, key, "PUT", f"/scope-configs/{config_id}", {"settings": {"models": {"scorecards": {"enabled": False}}}}
    )
    assert narrowed.status_code == 200
    assert _count(engine, "scorecards", iid) == 0
    with pytest.raises(KomboAtsError) as info:
        k.ats.get_ats_scorecards()
    assert info.value.data.error.code == "INTEGRATION.MODEL_DISABLED"
    again = sync_now(engine, settings, iid)  # the vendor is not asked for scorecards any more
    assert "scorecards" not in again.models and _count(engine, "scorecards", iid) == 0


@pytest.mark.parametrize(
    "settings_, needle",
    [
        ({"models": {"widgets": {"enabled": False}}}, "settings.models.widgets"),
        (
            {"models": {"candidates": {"fields": {"candidate_id": False}}}},
            "settings.models.candidates.fields.candidate_id",
        ),
        ({"actions": {"launch_rocket": False}}, "settings.actions.launch_rocket"),
        ({"colour": 1}, "settings.colour"),
    ],
)
def test_invalid_scope_settings(server: Server, api_key: str, settings_: dict[str, Any], needle: str) -> None:
    r = _api(server, api_key, "POST", "/scope-configs", {"name": "bad", "settings": settings_})
    assert r.status_code == 400 and r.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
    assert needle in r.json()["error"]["message"]
