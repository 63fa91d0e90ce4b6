"""Talentsoft (``talentsoft`` FrontOffice API v2 and ``talentsoftcustomer`` Customer API v1): golden mapper tests
on the documented shapes (no payload was ever recorded), the shared outcome rule with its per-tenant map, the
token endpoint on each customer's own site, and the true quirks: the FrontOffice sees only the applications its
client created, writes are created once, ``remote_fields.talentsoft`` reaches the FrontOffice body, and the
Customer API's exports are read as ``modifiedSince`` deltas."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.talentsoft import mappers as fo
from atsbridge.connectors.talentsoft.api import API as FO_API
from atsbridge.connectors.talentsoftcustomer import mappers as cu
from atsbridge.core.config import Settings
from atsbridge.fakes.talentsoft import FakeState
from tests.conftest import Server
from tests.connectors.writes_helper import created_after_stall, new_email
from tests.contract.harness import live

CTX = MapContext("talentsoft:golden")
STATUS = {"clientCode": "04", "label": "Hired"}
#: ``offersummaries`` row + ``getoffer`` detail (fields named by a client script [conn], the rest [gap]).
SUMMARY = {"reference": "2026-17", "title": "Comptable (H/F)", "organisation": {"name": "Acme France"},
           "contractType": {"clientCode": "CDD", "label": "Fixed-term contract"},
           "location": {"city": "Nantes", "postalCode": "44000", "country": {"clientCode": "FR", "label": "France"}},
           "startPublicationDate": "2026-03-01T08:00:00.000Z"}  # fmt: skip
OFFER = {**SUMMARY, "description1": "<p>A</p>", "description2": "<p>B</p>", "offerUrl": "https://x/offre-2026-17",
         "customFields": {"offer": {"shortText1": "Finance"}},
         "modificationDate": "2026-03-02T08:00:00.000Z"}  # fmt: skip
APPLICANT = {"id": "501", "firstName": "Léa", "lastName": "Dubois", "email": "lea@x.example",
             "phoneNumber": "+33 6", "address": {"city": "Lyon", "postalCode": "69002",
                                                 "country": {"clientCode": "FR", "label": "France"}},
             "creationDate": "2026-03-03T10:00:00.000Z"}  # fmt: skip
FO_APPLICATION = {"id": "9001", "offerReference": "2026-17", "applicationDate": "2026-03-03T10:00:00.000Z",
                  "status": STATUS, "origin": "Careers site", "applicant": APPLICANT}  # fmt: skip


def test_frontoffice_offer_and_application_map() -> None:
    (job,) = fo.map_offer({**SUMMARY, "_offer": OFFER}, CTX)
    assert (job.remote_id, job.fields["name"], job.fields["status"], job.fields["employment_type"]) == (
        "2026-17", "Comptable (H/F)", "OPEN", "TEMPORARY")  # fmt: skip
    assert job.fields["department"] == "Acme France" and job.fields["post_url"] == "https://x/offre-2026-17"
    assert job.fields["description"] == "<p>A</p>\n<p>B</p>" and job.fields["custom_fields"]["shortText1"] == "Finance"
    place = job.fields["location"]
    assert (place["city"], place["zip_code"], place["country"]) == ("Nantes", "44000", "France")
    (summary_only,) = fo.map_offer({**SUMMARY, "_offer": None}, CTX)  # the offer vanished before its detail
    assert summary_only.fields["name"] == "Comptable (H/F)" and summary_only.fields["post_url"] is None
    cand, app = fo.map_application(FO_APPLICATION, CTX)
    assert (cand.remote_id, cand.fields["email_addresses"][0]["email_address"]) == ("501", "lea@x.example")
    assert app.fields["candidate_id"] == CTX.ref("candidates", "501") and app.fields["job_id"] == CTX.ref(
        "jobs", "2026-17")  # fmt: skip
    assert app.fields["current_stage_id"] == CTX.ref("application_stages", "04") and app.fields["outcome"] == "HIRED"


def test_customer_records_map() -> None:
    (stage,) = cu.map_event({"clientCode": "99", "label": "Archived", "active": False, "_index": 5}, CTX)
    assert (stage.remote_id, stage.fields["status"], stage.fields["index"]) == ("99", "INACTIVE", 5)
    vacancy = {**OFFER, "status": {"clientCode": "OPEN", "label": "Open"}, "published": False, "confidential": True,
               "experienceLevel": {"clientCode": "SENIOR", "label": "3 to 5 years"}}  # fmt: skip
    (job,) = cu.map_vacancy(vacancy, CTX)
    assert (job.fields["status"], job.fields["visibility"], job.fields["confidential"]) == ("OPEN", "INTERNAL", True)
    assert job.fields["experience_level"] == "3 to 5 years" and job.fields["custom_fields"]["status"] == "Open"
    (cand,) = cu.map_candidate({**APPLICANT, "currentPosition": "Accountant"}, CTX)
    assert cand.fields["title"] == "Accountant" and cand.fields["location"]["city"] == "Lyon"
    raw = {
        "id": "77",
        "candidateId": "501",
        "vacancyReference": "2026-17",
        "applicationEvent": STATUS,
        "applicationDate": "2026-03-03T10:00:00.000Z",
        "modificationDate": "2026-03-04T10:00:00.000Z",
    }
    (app,) = cu.map_application(raw, CTX)
    assert app.fields["outcome"] == "HIRED" and app.fields["remote_updated_at"] == "2026-03-04T10:00:00.000Z"


def test_statuses_are_the_tenants_own() -> None:
    def outcome(ctx: MapContext, status: Any) -> str:
        (_, app) = fo.map_application({**FO_APPLICATION, "status": status}, ctx)
        return str(app.fields["outcome"])

    assert outcome(CTX, {"clientCode": "05", "label": "Refusé"}) == "DECLINED"
    assert outcome(CTX, {"clientCode": "02", "label": "Phone screen"}) == "PENDING"
    custom = MapContext("talentsoft:golden", status_map={"e17": "HIRED", "hired": "PENDING"})
    assert outcome(custom, {"clientCode": "E17", "label": "Contrat signé"}) == "HIRED"  # by client code
    assert outcome(custom, STATUS) == "PENDING"  # the tenant's map wins over the default


def test_the_token_comes_from_the_customers_own_site() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/api/token":
            assert b"grant_type=client_credentials" in request.content
            return httpx.Response(200, json={"access_token": "t", "token_type": "bearer", "expires_in": 1199})
        assert request.headers["authorization"] == "Bearer t"
        return httpx.Response(200, json={"data": []})

    info = IntegrationInfo("i1", "talentsoft", {"host": "acme-careers.talent-soft.com"},
                           {"client_id": "c", "client_secret": "s"})  # fmt: skip
    client = FO_API.client(info, httpx.MockTransport(handler))
    asyncio.run(client.request("GET", "/offersummaries"))
    assert seen == ["https://acme-careers.talent-soft.com/api/token",
                    "https://acme-careers.talent-soft.com/api/v2/offersummaries"]  # fmt: skip


def test_frontoffice_reads_only_its_own_applications_and_applies_once(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(3, 30, None)
    back_office = {a["id"] for a in fake.applications.values() if a["_origin"] == "backoffice"}
    assert back_office
    with live("talentsoft", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        synced = v.remote_ids("applications")
        assert synced == {a["id"] for a in fake.fo_applications()} and not synced & back_office
        k = v.sdk()
        job = k.ats.get_jobs(page_size=50).result.data.results[0]
        email = new_email()
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
        extra = {"talentsoft": {"applicant": {"civility": "MRS"}, "application": {"motivation": "Keen"}}}
        again = created_after_stall(v, job.id, cand, remote_fields=extra)
        mine = [a for a in fake.applications.values() if fake.candidates[a["candidateId"]]["email"] == email]
        assert [a["id"] for a in mine] == [again.remote_id] and mine[0]["_origin"] == "frontoffice"
        assert mine[0]["_extra"]["motivation"] == "Keen" and mine[0]["_extra"]["_applicant"] == {"civility": "MRS"}
        assert v.sync(full=True).status == "SUCCEEDED" and again.remote_id in v.remote_ids("applications")
        with pytest.raises(KomboAtsError) as info:  # the FrontOffice refuses a second application (409)
            k.ats.create_application(job_id=job.id, candidate=cand)
        assert info.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"


def test_customer_applies_new_and_known_candidates_and_reads_deltas(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(4, 20, None)
    with live("talentsoftcustomer", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        assert v.remote_ids("applications") == set(fake.applications)  # the whole back office
        k = v.sdk()
        jobs = k.ats.get_jobs(page_size=50).result.data.results
        email = new_email("grace")
        cand = {"first_name": "Grace", "last_name": "Hopper", "email_address": email}
        first = created_after_stall(v, jobs[0].id, cand, {"path": "/vacancies/"})
        second = k.ats.create_application(job_id=jobs[1].id, candidate=cand).data
        people = [c for c in fake.candidates.values() if c["email"] == email]
        assert len(people) == 1 and first.candidate is not None and second.candidate is not None
        assert first.candidate.remote_id == second.candidate.remote_id == people[0]["id"]
        theirs = [a["vacancyReference"] for a in fake.applications.values() if a["candidateId"] == people[0]["id"]]
        assert sorted(theirs) == sorted([jobs[0].remote_id, jobs[1].remote_id])
        with pytest.raises(KomboAtsError) as info:
            k.ats.create_application(job_id=jobs[0].id, candidate=cand)
        assert info.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"
        v.control("DELETE", "requests")
        assert v.sync().status == "SUCCEEDED"
        exports = [r for r in v.control("GET", "requests")["requests"] if "/exports/" in r["path"]]
        assert exports and all("modifiedSince" in r["query"] for r in exports)
