"""Cornerstone OnDemand: golden mapper tests on the documented requisition fields and the assumed applicant row
(no payload was recorded), stages/rejection reasons from the tenant's statuses, the status-by-status applicant
listing with its date-only delta, and apply / move / reject through the SDK (apply created once after a stall)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.cornerstoneondemand import mappers as m
from atsbridge.connectors.cornerstoneondemand import streams
from atsbridge.connectors.cornerstoneondemand.api import API, DEFAULT_STATUSES, statuses
from atsbridge.core.config import Settings
from atsbridge.fakes import cornerstoneondemand as fake_module
from atsbridge.fakes.cornerstoneondemand import FakeState, conformance_setup, create_app
from tests.conftest import Server
from tests.connectors.writes_helper import created_after_stall, new_email
from tests.contract.harness import live

CTX = MapContext("cornerstoneondemand:golden")
PAYLOADS = Path(fake_module.__file__).parent / "payloads"
REQ = json.loads((PAYLOADS / "requisition.documented-fields.json").read_text())
APPLICANT = json.loads((PAYLOADS / "applicant.assumed-shape.json").read_text())


def test_requisition_maps_to_a_job_with_its_career_sites() -> None:
    (job,) = m.map_requisition(REQ, CTX)
    f = job.fields
    assert job.remote_id == "Req123" and (f["name"], f["job_code"], f["status"]) == ("Payroll Specialist", "Req123",
                                                                                    "OPEN")  # fmt: skip
    assert (f["salary_amount_from"], f["salary_amount_to"], f["salary_currency"]) == (42000.0, 56000.0, "EUR")
    assert f["location"]["raw"] == "12 Rue de Rivoli, Paris, 75001, FR" and f["visibility"] == "PUBLIC"
    assert f["description"] == REQ["ExternalAd"] and f["custom_fields"]["division_id"] == "DIV-2"
    (posting,) = job.nested["job_postings"]
    assert (posting["remote_id"], posting["status"]) == ("Req123:External Career Site", "ACTIVE")
    (held,) = m.map_requisition({**REQ, "Status": "On hold", "Address": "Lyon", "RangeLow": "n/a"}, CTX)
    assert held.fields["status"] == "ARCHIVED" and held.fields["location"]["raw"] == "Lyon"
    assert held.fields["salary_amount_from"] is None and held.nested["job_postings"][0]["status"] == "INACTIVE"
    assert list(m.map_requisition({**REQ, "ReqId": None}, CTX)) == []


def test_applicant_row_is_a_candidate_and_an_application() -> None:
    cand, app = m.map_applicant(APPLICANT, CTX)
    assert (cand.model, cand.remote_id, app.model, app.remote_id) == ("candidates", "48213", "applications",
                                                                      "Req123:48213")  # fmt: skip
    assert cand.fields["email_addresses"] == [{"email_address": "ava.muller@mail.example", "type": None}]
    assert app.fields["candidate_id"] == CTX.ref("candidates", "48213") and app.fields["job_id"] == CTX.ref(
        "jobs", "Req123")  # fmt: skip
    assert app.fields["current_stage_id"] == CTX.ref("application_stages", "In Review")
    assert app.fields["outcome"] == "PENDING" and app.fields["rejected_at"] is None
    assert str(app.fields["remote_created_at"]).startswith("2025-03-02T08:15:00")
    assert list(m.map_applicant({**APPLICANT, "UserId": None}, CTX)) == []


def test_outcomes_follow_the_status_names_and_the_tenants_map() -> None:
    def outcome(ctx: MapContext, status: str) -> Any:
        return list(m.map_applicant({**APPLICANT, "CurrentStatus": status}, ctx))[1].fields

    assert outcome(CTX, "Hired")["outcome"] == "HIRED"
    closed = outcome(CTX, "Closed")
    assert closed["outcome"] == "DECLINED" and str(closed["rejected_at"]).startswith("2025-03-04T14:30:00")
    tenant = MapContext("cornerstoneondemand:golden", status_map={"offer accepted": "HIRED", "not a fit": "DECLINED"})
    assert outcome(tenant, "offer accepted")["outcome"] == "HIRED" and outcome(tenant, "Not a fit")["outcome"] == (
        "DECLINED")  # fmt: skip
    # the declining statuses double as rejection reasons (a rejection moves the applicant there)
    assert [r.model for r in m.map_status({"Name": "Closed", "_index": 6}, CTX)] == ["application_stages",
                                                                                    "rejection_reasons"]  # fmt: skip
    assert [r.model for r in m.map_status({"Name": "Not a fit"}, CTX)] == ["application_stages"]
    assert [r.model for r in m.map_status({"Name": "Not a fit"}, tenant)][-1] == "rejection_reasons"


def test_configured_statuses_replace_the_default_list() -> None:
    assert statuses({}) == DEFAULT_STATUSES and statuses({"applicant_statuses": " A, B ,,A"}) == ("A", "B")
    assert statuses({"applicant_statuses": ["X", 3, " "]}) == ("X",)


def _read(state: FakeState, since: datetime | None, config: dict[str, Any]) -> list[dict[str, Any]]:
    info = IntegrationInfo("i", "cornerstoneondemand", config, conformance_setup("http://fake")[1])

    async def run() -> list[dict[str, Any]]:
        transport = httpx.ASGITransport(app=create_app(state=state))
        source = kit.KitSource(API, API.client(info, transport), config, streams=kit.resolve(streams.STREAMS))
        try:
            return [row async for page in streams.applicants(source, since) for row in page]
        finally:
            await source.aclose()

    return asyncio.run(run())


def test_applicants_are_listed_status_by_status_and_a_delta_narrows_by_local_date() -> None:
    state = FakeState.generate(4, 40, None)
    config = {**conformance_setup("http://fake")[0], "base_url": "http://fake/services/api"}
    rows = _read(state, None, config)
    assert sorted(f"{r['RequisitionID']}:{r['UserId']}" for r in rows) == sorted(state.applicants)
    listings = [parse_qs(e.query) for e in state.log.entries() if e.path.endswith("/JobApplicant")]
    assert sorted({q["CurrentStatus"][0] for q in listings}) == sorted(fake_module.STATUSES)
    state.log.clear()
    key = next(iter(state.applicants))
    req, user = key.split(":")
    state.set_status(req, user, "Offer Letter")
    since = datetime.now(UTC) - timedelta(minutes=5)
    delta = _read(state, since, config)
    assert [f"{r['RequisitionID']}:{r['UserId']}" for r in delta] == [key]  # the generated rows are older
    sent = [parse_qs(e.query).get("StatusDate") for e in state.log.entries() if e.path.endswith("/JobApplicant")]
    assert sent and all(d == [(since - timedelta(days=1)).strftime("%Y-%m-%d")] for d in sent)
    # a status missing from the configured list is invisible: the list must name every status in use
    narrowed = _read(state, None, {**config, "applicant_statuses": "In Review"})
    assert {r["CurrentStatus"] for r in narrowed} == {"In Review"}


def test_apply_once_after_a_stall_then_move_and_reject(engine: Engine, settings: Settings, server: Server) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("cornerstoneondemand", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        k = v.sdk()
        jobs = [j for j in k.ats.get_jobs(page_size=50).result.data.results if j.status == "OPEN"]
        email = new_email()
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
        made = created_after_stall(v, jobs[0].id, cand)
        mine = [a for a, row in fake.applicants.items() if fake.users[row["_user"]]["Email"] == email]
        assert mine == [made.remote_id] and made.candidate is not None
        stages = {s.name: s for s in k.ats.get_application_stages().result.data.results}
        moved = k.ats.move_application_to_stage(application_id=made.id, stage_id=stages["Interview"].id)
        assert moved.warnings == [] and fake.applicants[made.remote_id]["CurrentStatus"] == "Interview"
        (reason,) = k.ats.get_rejection_reasons().result.data.results
        assert reason.name == "Closed"
        rejected = k.ats.reject_application(application_id=made.id, rejection_reason_id=reason.id, note="no")
        assert fake.applicants[made.remote_id]["CurrentStatus"] == "Closed" and any(
            "note" in w.message for w in rejected.warnings
        )
        with pytest.raises(KomboAtsError) as info:
            k.ats.add_application_note(application_id=made.id, content="x", content_type="PLAIN_TEXT")
        assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"
