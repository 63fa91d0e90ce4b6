"""The per-integration outcome override: validated through the API, and applied by the next (full) sync."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import Engine, select

from atsbridge.connect.service import create_integration
from atsbridge.connectors.base import MapContext
from atsbridge.connectors.lever import mappers as m
from atsbridge.connectors.outcomes import status_map_of
from atsbridge.core.config import Settings
from atsbridge.fakes.lever import FakeState, create_app
from atsbridge.store.tables import MODEL_TABLES, integrations, sync_runs
from atsbridge.testing import serve_asgi
from tests.conftest import Server, sync_now


def put(server: Server, key: str, iid: str, body: Any) -> httpx.Response:
    return httpx.put(
        f"{server.v1}/integrations/{iid}/status-map", json=body, headers={"Authorization": f"Bearer {key}"}
    )


def outcomes(engine: Engine, iid: str) -> dict[str, tuple[str, Any]]:
    table = MODEL_TABLES["applications"]
    with engine.connect() as conn:
        found = conn.execute(select(table).where(table.c.integration_id == iid)).all()
    return {r.remote_id: (orjson.loads(r.data)["outcome"], r.changed_at) for r in found}


def test_lever_outcome_follows_the_reason_type_unless_the_integration_overrides_the_reason() -> None:
    opp = {
        "id": "o",
        "archived": {"reason": "r", "archivedAt": 1},
        "_archive_reason": {"id": "r", "text": "Withdrew", "type": "non-hired"},
    }  # noqa: E501
    assert m.outcome(opp, MapContext("i"))[0] == "DECLINED"
    assert m.outcome(opp, MapContext("i", status_map_of({"status_map": {"withdrew": "PENDING"}})))[:2] == (
        "PENDING",
        None,
    )
    assert m.outcome(opp, MapContext("i", status_map_of({"status_map": {"r": "HIRED"}})))[0] == "HIRED"
    assert m.outcome({**opp, "archived": None}, MapContext("i", {"withdrew": "HIRED"}))[0] == "PENDING"


def test_status_map_api_validates_applies_and_queues_a_full_sync(
    engine: Engine, settings: Settings, environment: str, api_key: str, server: Server
) -> None:
    app = create_app(seed=4, records=12, rate_limit=None)
    fake: FakeState = app.state.fake
    with serve_asgi(app) as url:
        iid = create_integration(
            engine, settings, environment, "lever", "Org", credentials={"api_key": "lever_key"},
            config={"base_url": url + "/v1", "sync_all_applications": True, "requests_per_second": 5000},
        )  # fmt: skip
        sync_now(engine, settings, iid, full=True)
        reason = fake.reason("non-hired")
        opp = next(o for o in fake.opportunities.values() if not o["archived"] and o.get("applications"))
        fake.reject(opp["id"], reason["id"])
        sync_now(engine, settings, iid, full=False)
        app_ids = [str(a) for a in opp["applications"]]
        before = outcomes(engine, iid)
        assert {before[a][0] for a in app_ids} == {"DECLINED"}

        got = httpx.get(f"{server.v1}/integrations/{iid}/status-map", headers={"Authorization": f"Bearer {api_key}"})
        assert got.json()["data"] == {
            "status_map": {}, "default_rule": {"statuses": {"hired": "HIRED", "non-hired": "DECLINED"}, "stages": {},
                                              "default": "DECLINED"},
        }  # fmt: skip
        for bad, field in [({"status_map": {reason["text"]: "WON"}}, f"status_map.{reason['text']}"),
                           ({"status_map": ["x"]}, "status_map must be an object"),
                           ({"status_map": {"A": "HIRED", "a": "DECLINED"}}, "status_map.a")]:  # fmt: skip
            answer = put(server, api_key, iid, bad)
            assert answer.status_code == 400, answer.text
            assert answer.json()["status"] == "error" and field in answer.json()["error"]["message"]
        with engine.connect() as conn:
            assert conn.execute(select(integrations.c.data_expired_at).where(integrations.c.id == iid)).scalar() is None

        answer = put(server, api_key, iid, {"status_map": {reason["text"]: "HIRED"}})
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"]["full_sync_queued"] is True
        with engine.connect() as conn:
            assert conn.execute(select(integrations.c.data_expired_at).where(integrations.c.id == iid)).scalar()
            queued = (
                conn.execute(
                    select(sync_runs.c.type).where(sync_runs.c.integration_id == iid, sync_runs.c.status == "QUEUED")
                )
                .scalars()
                .all()
            )
        assert queued == ["FULL"]
        assert (
            put(server, api_key, iid, {"status_map": {reason["text"]: "HIRED"}}).json()["data"]["full_sync_queued"]
            is False
        )

        sync_now(engine, settings, iid, full=True)
        after = outcomes(engine, iid)
        assert {after[a][0] for a in app_ids} == {"HIRED"}
        assert all(after[a][1] > before[a][1] for a in app_ids)  # updated_after readers see the change
        others = [a for a in after if a not in app_ids]
        assert all(after[a] == before[a] for a in others if before[a][0] != "DECLINED")


@pytest.mark.parametrize("body", [{}, {"status_map": {}, "extra": 1}])
def test_status_map_body_must_be_exactly_the_map(body: Any, api_key: str, server: Server, engine: Engine,
                                                 settings: Settings, environment: str) -> None:  # fmt: skip
    iid = create_integration(engine, settings, environment, "lever", "Org", credentials={"api_key": "k"})
    answer = put(server, api_key, iid, body)
    assert answer.status_code == 400 and answer.json()["status"] == "error"
