"""Integration fields and custom-field mappings through the SDK, applied by a real sync of the Greenhouse fake."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboGeneralError
from sqlalchemy import Engine, func, select

from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.fakes import greenhouse
from atsbridge.store import platform
from atsbridge.store.tables import integration_fields, sync_runs
from atsbridge.testing import serve_asgi
from tests.conftest import Server, sync_now


def _all_fields(k: Kombo, iid: str, page_size: int) -> list[Any]:
    out: list[Any] = []
    res = k.general.get_integration_fields(integration_id=iid, page_size=page_size)
    while res is not None:
        out.extend(res.result.data.results)
        res = res.next()
    return out


def test_fields_mapping_and_passthrough(engine: Engine, settings: Settings, server: Server) -> None:
    with serve_asgi(greenhouse.create_app(records=15)) as url:
        with engine.begin() as conn:
            env = platform.create_environment(conn, f"f-{uuid.uuid4().hex[:6]}")
            key = platform.create_api_key(conn, env, "test")
        config, creds = greenhouse.conformance_setup(url)
        iid = create_integration(engine, settings, env, "greenhouse", "Acme", config=config, credentials=creds)
        sync_now(engine, settings, iid, full=True)
        k = Kombo(api_key=key, server_url=server.v1)
        http = httpx.Client(base_url=server.v1, headers={"Authorization": f"Bearer {key}"}, timeout=30)

        fields = _all_fields(k, iid, 7)
        with engine.connect() as conn:
            stored = conn.execute(
                select(func.count()).select_from(integration_fields).where(integration_fields.c.integration_id == iid)
            ).scalar_one()
        assert len(fields) == stored > 7 and len({f.id for f in fields}) == stored
        assert not any(f.key.startswith("_") for f in fields)  # connector-internal keys are not fields
        custom = next(f for f in fields if f.type == "CUSTOM" and f.model == "jobs" and f.key == "employment_type")
        default = next(f for f in fields if f.type == "DEFAULT" and f.model == "jobs" and f.key == "requisition_id")
        assert not default.is_passthrough_enabled

        # Define a custom field for candidates (atsbridge extension), map it, enable passthrough of a field.
        created = http.post("/custom-fields", json={"model": "jobs", "key": "favourite", "label": "Fav"})
        assert created.status_code == 200, created.text
        cf_id = created.json()["data"]["id"]
        dup = http.post("/custom-fields", json={"model": "jobs", "key": "favourite"})
        assert dup.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
        listed = k.general.get_custom_fields(integration_id=iid).result.data.results
        assert [(c.id, c.key, c.integration_field) for c in listed] == [(cf_id, "favourite", None)]

        mapped = k.general.update_custom_field_mapping(
            integration_id=iid, custom_field_id=cf_id, integration_field_id=custom.id
        )
        assert mapped.data.integration_field.id == custom.id
        toggled = k.general.update_integration_field(
            integration_id=iid, integration_field_id=default.id, enable_passthrough=True
        )
        assert toggled.data.is_passthrough_enabled
        details = k.general.get_integration_details(integration_id=iid).data
        assert details.data_expired_at is not None
        with engine.connect() as conn:
            queued = (
                conn.execute(
                    select(sync_runs.c.type).where(sync_runs.c.integration_id == iid, sync_runs.c.status == "QUEUED")
                )
                .scalars()
                .all()
            )
        assert queued == ["FULL"]

        sync_now(engine, settings, iid, full=True)
        time.sleep(1.1)  # the server caches integrations for 1 s; this sync ran outside it
        assert k.general.get_integration_details(integration_id=iid).data.data_expired_at is None
        body = http.get("/ats/jobs", headers={"X-Integration-Id": iid}, params={"page_size": 250}).json()
        jobs = body["data"]["results"]
        assert jobs and all(set(j["custom_fields"]) == {"favourite"} for j in jobs)
        assert any(j["custom_fields"]["favourite"] is not None for j in jobs)
        for j in jobs:
            assert [(f["id"], f["key"], f["type"]) for f in j["integration_fields"]] == [
                (default.id, "requisition_id", "DEFAULT")
            ]
            assert "value" in j["integration_fields"][0]
        assert any(j["integration_fields"][0]["value"] is not None for j in jobs)
        # The SDK parses the mapped records too.
        sdk = Kombo(api_key=key, integration_id=iid, server_url=server.v1).ats.get_jobs(page_size=5)
        assert set(sdk.result.data.results[0].custom_fields or {}) == {"favourite"}

        # Unmapping: back to null.
        unmapped = k.general.update_custom_field_mapping(
            integration_id=iid, custom_field_id=cf_id, integration_field_id=None
        )
        assert unmapped.data.integration_field is None

        # Errors name the offending field and use PLATFORM codes only.
        def code(call: Any, **kw: Any) -> tuple[str, str]:
            with pytest.raises(KomboGeneralError) as info:
                call(integration_id=iid, **kw)
            return str(info.value.data.error.code), info.value.data.error.message

        assert code(k.general.get_integration_fields, page_size=2001)[0] == "PLATFORM.INPUT_INVALID"
        assert code(k.general.get_custom_fields, page_size=251)[0] == "PLATFORM.INPUT_INVALID"
        assert "cursor" in code(k.general.get_integration_fields, cursor="%%%")[1]
        assert (
            "integration_field_id"
            in code(k.general.update_integration_field, integration_field_id="if_missing", enable_passthrough=True)[1]
        )
        job_field = next(f for f in fields if f.model == "candidates")
        assert (
            "belongs to candidates"
            in code(k.general.update_custom_field_mapping, custom_field_id=cf_id, integration_field_id=job_field.id)[1]
        )
        assert http.delete(f"/custom-fields/{cf_id}").status_code == 200
        assert k.general.get_custom_fields(integration_id=iid).result.data.results == []
        http.close()
