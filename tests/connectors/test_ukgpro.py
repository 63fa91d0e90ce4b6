"""UKG Pro Recruiting: golden mapper tests on the documented shapes (no traffic was recorded), then the vendor's
own quirks: the tenant's token URL filled from config, customer-named statuses through the status map,
comments as candidate notes, documents reachable per application. The shared behaviour is the contract suite's."""

from __future__ import annotations

import json
from typing import Any

from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.ukgpro import CONNECTOR
from atsbridge.connectors.ukgpro import mappers as m
from atsbridge.connectors.ukgpro.api import API
from atsbridge.core.ids import record_id
from tests.conftest import payloads

PAY = payloads("ukgpro")
CTX = MapContext("ukgpro:golden")


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def ref(model: str, remote_id: str) -> str:
    return record_id(CTX.integration_id, model, remote_id)


def test_opportunity_maps_a_job() -> None:
    (job,) = m.map_opportunity(load("opportunity.doc-shape.json"), CTX)
    assert (job.fields["name"], job.fields["job_code"], job.fields["status"]) == (
        "Registered Nurse",
        "REQ-1001",
        "OPEN",
    )
    assert job.fields["employment_type"] == "FULL_TIME" and job.fields["location"]["raw"] == "Weston, FL, USA"


def test_application_links_job_and_candidate_and_its_status_decides_the_outcome() -> None:
    raw = load("application.doc-shape.json")
    (app,) = m.map_application(raw, CTX)
    assert app.fields["job_id"] == ref("jobs", "2b6f1c0e-7a0d-4c7e-9f4e-1d2c3b4a5f60")
    assert app.fields["candidate_id"] == ref("candidates", "4c3b2a19-8d7e-4f6a-9b5c-1e2d3c4b5a69")
    assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Rejected")
    custom = {**raw, "status": {"id": 42, "name": "Talent Pool"}}
    assert m.outcome(custom) == "PENDING"  # a tenant's own status name
    mapped = MapContext("ukgpro:golden", status_map={"talent pool": "DECLINED"})
    assert m.outcome(custom, mapped) == "DECLINED"
    assert m.outcome({**raw, "status": {"id": 5, "name": "Hired"}}) == "HIRED"


def test_candidate_detail_maps_the_candidate_and_its_comments_as_notes() -> None:
    got = list(m.map_candidate({"id": "x", "_detail": load("candidate.doc-shape.json")}, CTX))
    cand, note = got
    assert cand.fields["email_addresses"] == [{"email_address": "avery.nguyen@mail.example", "type": None}]
    assert note.model == "notes" and note.remote_id == "c0ffee00-1111-4222-8333-444455556666"
    assert note.fields["content_html"] == "<p>Strong clinical background.<br>Call back Monday.</p>"
    assert list(m.map_candidate({"id": "x", "_detail": None}, CTX)) == []  # gone meanwhile


def test_offer_and_document() -> None:
    (offer,) = m.map_offer(load("offer.doc-shape.json"), CTX)
    assert offer.fields["status"] == "ACCEPTED"
    doc = {**load("document.doc-shape.json"), "_application": {"id": "a1", "candidate_id": "c1"}}
    (att,) = m.map_document(doc, CTX)
    assert att.remote_id == "a1/documents/5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716"
    assert (att.fields["type"], att.fields["content_type"]) == ("CV", "application/pdf")


def test_token_and_base_url_are_the_tenants() -> None:
    config = {
        "recruiting_host": "service2.ultipro.com",
        "tenant_alias": "ACME1001",
        "identity_server": "signin.ukg.net",
    }
    info = IntegrationInfo("i", "ukgpro", config, {"client_id": "a", "client_secret": "b"})
    client = API.client(info)
    assert str(client.base_url).startswith("https://service2.ultipro.com/talent/recruiting/v2/ACME1001/api")
    assert client.auth.token_url == "https://signin.ukg.net/signin/oauth2/t/ACME1001/access_token"  # type: ignore[attr-defined]
    assert "move_application_to_stage" not in CONNECTOR.actions
