"""Softgarden: the jobs-list mapper (epoch-ms dates, catalog ids kept), the channel in the URL with the client id
as Basic user and an empty password, what the connector declares it cannot do, and the apply flow (applicant
account with a derived password, create-once, records answered as submitted and kept by later full syncs).
Sync is the contract suite's."""

from __future__ import annotations

import asyncio
import base64
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from kombo.errors import KomboAtsError
from sqlalchemy import Engine, select

from atsbridge.api.routes.tools import tool_coverage
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.softgarden import API, CONNECTOR
from atsbridge.connectors.softgarden.api import applicant_password, rest_root, username_for
from atsbridge.connectors.softgarden.mappers import epoch_ms, map_job
from atsbridge.core.config import Settings
from atsbridge.fakes.softgarden import FakeState, policy_ok
from atsbridge.store.tables import idempotency_keys
from tests.conftest import Server
from tests.connectors.writes_helper import created_after_stall, new_email
from tests.contract.harness import Live, live

#: The jobs-list fields the open-source clients read [conn] (no softgarden job payload was recorded).
JOB: dict[str, Any] = {
    "jobDbId": "31337001", "externalPostingName": "Backend Developer (m/w/d)",
    "applyOnlineLink": "https://acme.softgarden.io/de/job/31337001/apply", "company_id": "4711",
    "company_name": "Acme GmbH", "geo_city": "Köln", "geo_country": "DE", "geo_lat": "50.94", "geo_long": "6.96",
    "geo_name": "Köln, NRW", "geo_state": "Nordrhein-Westfalen", "geo_street": "Domplatz 1", "geo_zip": "50667",
    "locale": "de", "jobAdText": "<p>Wir suchen</p>", "internalJobAdText": None, "jobStartDate": 1717200000000,
    "postingLastUpdatedDate": 1715000000000, "job_ad_url": "https://acme.softgarden.io/de/job/31337001",
    "project_number": "P-77", "employmentTypes": ["EMPLOYMENT_TYPE_1"], "industries": [21],
    "workTimes": ["WORKING_HOURS_FULLTIME"], "workExperiences": [], "remote_status": "HYBRID", "keywords": "go",
}  # fmt: skip


def test_a_listed_job_is_an_open_public_job_with_epoch_ms_dates_and_catalog_ids_kept() -> None:
    [job] = list(map_job(JOB, MapContext("softgarden:t")))
    f = job.fields
    assert (f["name"], f["job_code"], f["status"], f["visibility"]) == ("Backend Developer (m/w/d)", "P-77", "OPEN",
                                                                        "PUBLIC")  # fmt: skip
    assert f["remote_updated_at"] == "2024-05-06T12:53:20.000Z"
    assert f["remote_work_status"] == "HYBRID" and f["post_url"] == JOB["job_ad_url"]
    assert f["location"]["city"] == "Köln" and f["location"]["zip_code"] == "50667"
    assert f["custom_fields"]["industries"] == ["21"] and f["custom_fields"]["employment_types"] == [
        "EMPLOYMENT_TYPE_1"
    ]
    assert [p["remote_id"] for p in job.nested["job_postings"]] == ["31337001"]
    bare = {"jobDbId": 5, "postingLastUpdatedDate": "yesterday", "remote_status": "WORKFROMMARS", "industries": "x"}
    [other] = list(map_job(bare, MapContext("softgarden:t")))
    assert other.fields["remote_updated_at"] is None and other.fields["location"] is None
    assert other.fields["remote_work_status"] == "WORKFROMMARS" and other.fields["custom_fields"]["industries"] == []
    assert epoch_ms(True) is None and epoch_ms(10**20) is None
    assert epoch_ms(1715000000000) == datetime(2024, 5, 6, 12, 53, 20, tzinfo=UTC)


def test_the_channel_names_the_url_and_the_client_id_is_the_basic_user_with_no_password() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"results": []})

    def get(config: dict[str, Any]) -> None:
        info = IntegrationInfo("softgarden:t", "softgarden", config, {"client_id": "cid"})
        asyncio.run(API.client(info, httpx.MockTransport(handler)).request("GET", ""))

    get({"channel_id": "125411_extern"})
    get({"channel_id": "../evil"})
    assert str(seen[0].url) == "https://api.softgarden.io/api/rest/v3/frontend/jobslist/125411_extern/"
    assert seen[0].headers["Authorization"] == "Basic " + base64.b64encode(b"cid:").decode()
    assert seen[1].url.path.endswith("/jobslist/invalid/") and seen[1].url.host == "api.softgarden.io"


def test_what_softgarden_cannot_serve_is_said_with_the_reason() -> None:
    caps = CONNECTOR.capabilities
    assert caps.models == {"jobs"} and caps.actions == {"create_application"}
    coverage = tool_coverage("softgarden", "http://x")["coverage"]
    models = {m["id"]: m["coverage_status"] for m in coverage["read_models"]}
    actions = {a["id"]: a["coverage_status"] for a in coverage["write_actions"]}
    assert models["ats_jobs"] == "SUPPORTED" and models["ats_applications"] == "UNSUPPORTED"
    assert models["ats_candidates"] == "UNSUPPORTED"
    assert actions["ats_create_application"] == "SUPPORTED" and actions["ats_reject_application"] == "UNSUPPORTED"


def test_the_apply_calls_live_under_the_rest_root_of_the_jobs_list_url() -> None:
    assert rest_root("https://api.softgarden.io/api/rest/v3/frontend/jobslist/125411_extern") == (
        "https://api.softgarden.io/api/rest"
    )
    assert rest_root("http://127.0.0.1:9/api/rest/v3/frontend/jobslist/x/") == "http://127.0.0.1:9/api/rest"
    assert rest_root("http://proxy.example/sg/") == "http://proxy.example/sg"


def test_the_applicant_password_is_reproducible_per_integration_and_meets_the_policy() -> None:
    mails = [f"user{i}.{'x' * (i % 7)}@Example.org" for i in range(300)]
    passwords = [applicant_password("cid", m) for m in mails]
    assert all(policy_ok(p) for p in passwords) and len(set(passwords)) == len(mails)
    assert applicant_password("cid", " Ada@X.Example ") == applicant_password("cid", "ada@x.example")
    assert applicant_password("other", "ada@x.example") != applicant_password("cid", "ada@x.example")
    assert not policy_ok("abcdefghij") and not policy_ok("Abcdef1!") and not policy_ok("Abcdefghij1")
    assert username_for(" Ada@X.Example ") == "ada@x.example"
    odd = username_for("o'neil@x.example")
    assert odd.startswith("atsb-") and odd == username_for("O'Neil@x.example")


def _cv() -> dict[str, Any]:
    return {"name": "cv.pdf", "type": "CV", "content_type": "application/pdf",
            "data": base64.b64encode(b"%PDF-1.4 cv").decode()}  # fmt: skip


def _mine(fake: FakeState, email: str) -> list[dict[str, Any]]:
    return [a for a in fake.applicants.applications.values() if a["username"] == username_for(email)]


def _job(v: Live, fake: FakeState) -> Any:
    assert v.sync(full=True).status == "SUCCEEDED"
    jobs = v.sdk().ats.get_jobs(page_size=50).result.data.results
    assert {j.remote_id for j in jobs} == set(fake.jobs)
    return jobs


def test_apply_answers_as_submitted_and_a_full_sync_keeps_the_records(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("softgarden", engine, settings, server.v1, state=fake) as v:
        job = _job(v, fake)[0]
        email = new_email()
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email, "phone_number": "+49 30 1"}
        k = v.sdk()
        made = k.ats.create_application(job_id=job.id, candidate=cand, attachments=[_cv()]).data
        [app] = _mine(fake, email)
        assert (
            app["status"] == "SUBMITTED" and app["jobDbId"] == job.remote_id and made.remote_id == app["applicationId"]
        )
        assert app["profile"]["firstName"] == "Ada" and app["profile"]["email"] == email
        assert app["files"] == [{"fileName": "cv.pdf", "fileType": "application/pdf", "type": "CV", "size": 11}]
        account = fake.applicants.accounts[username_for(email)]
        assert policy_ok(account["password"]) and account["password"] == applicant_password("sg_client", email)
        assert made.candidate is not None and made.candidate.remote_id == username_for(email)
        assert made.candidate.email_addresses is not None and made.candidate.email_addresses[0].email_address == email
        assert made.job is not None and made.job.id == job.id and made.current_stage is None
        assert made.outcome == "PENDING"
        with engine.connect() as conn:  # the derived password is never stored, not even in write progress
            rows = conn.execute(select(idempotency_keys)).all()
        assert account["password"] not in repr(rows)
        before = {m: v.stored(m) for m in ("applications", "candidates")}
        assert before["applications"][made.remote_id][1] is None and username_for(email) in before["candidates"]
        assert v.sync(full=True).status == "SUCCEEDED"  # jobs only: candidates/applications are not swept
        assert {m: v.stored(m) for m in ("applications", "candidates")} == before
        with pytest.raises(KomboAtsError) as unread:  # stored, but softgarden's reads stay unavailable
            k.ats.get_applications(ids=[made.id])
        assert "does not provide applications" in str(unread.value)


@pytest.mark.parametrize("stalled", [{"path": "/submit"}, {"path": "/v3/frontend/applications", "method": "POST"}])
def test_apply_is_created_once_after_a_stall(
    engine: Engine, settings: Settings, server: Server, stalled: dict[str, Any]
) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("softgarden", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        job = _job(v, fake)[1]
        email = new_email("grace")
        cand = {"first_name": "Grace", "last_name": "Hopper", "email_address": email}
        made = created_after_stall(v, job.id, cand, stalled)
        [app] = _mine(fake, email)
        assert app["status"] == "SUBMITTED" and made.remote_id == app["applicationId"]
        assert len(fake.applicants.accounts) == 1 and len(fake.applicants.submitted()) == 1


def test_an_applicant_who_already_applied_is_refused_and_a_foreign_account_is_not_taken_over(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("softgarden", engine, settings, server.v1, state=fake) as v:
        jobs, k = _job(v, fake), v.sdk()
        email = new_email("linus")
        user = username_for(email)
        fake.applicants.accounts[user] = {"username": user, "email": email, "firstName": "L", "lastName": "T",
                                          "password": applicant_password("sg_client", email)}  # fmt: skip
        fake.applicants.applications["a1"] = {"applicationId": "a1", "jobDbId": jobs[0].remote_id, "username": user,
                                              "status": "SUBMITTED", "applicationEditable": False, "createdOn": 1,
                                              "lastChangedOn": 1, "profile": {}, "files": []}  # fmt: skip
        cand = {"first_name": "Linus", "last_name": "T", "email_address": email}
        with pytest.raises(KomboAtsError) as dup:
            k.ats.create_application(
                job_id=jobs[0].id, candidate=cand, http_headers={"Idempotency-Key": uuid.uuid4().hex}
            )
        assert dup.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"
        other = k.ats.create_application(job_id=jobs[1].id, candidate=cand).data  # the account is reused
        assert other.candidate is not None and other.candidate.remote_id == user and len(_mine(fake, email)) == 2
        fake.applicants.applications["d1"] = {**fake.applicants.applications["a1"], "applicationId": "d1",
                                              "jobDbId": jobs[2].remote_id, "status": "DRAFT"}  # fmt: skip
        left = k.ats.create_application(job_id=jobs[2].id, candidate=cand).data  # an abandoned draft is finished
        assert left.remote_id == "d1" and fake.applicants.applications["d1"]["status"] == "SUBMITTED"
        assert len(_mine(fake, email)) == 3

        foreign = new_email("mallory")
        fake.applicants.accounts[username_for(foreign)] = {"username": username_for(foreign), "email": foreign,
                                                           "password": "Sel8st-gewählt!"}  # fmt: skip
        with pytest.raises(KomboAtsError) as taken:
            k.ats.create_application(job_id=jobs[0].id, candidate={**cand, "email_address": foreign})
        assert "did not create" in taken.value.data.error.message and _mine(fake, foreign) == []


def test_a_job_taken_offline_is_closed_for_applications(engine: Engine, settings: Settings, server: Server) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("softgarden", engine, settings, server.v1, state=fake) as v:
        job = _job(v, fake)[0]
        del fake.jobs[job.remote_id]
        fake.applicants.inactive.add(job.remote_id)
        with pytest.raises(KomboAtsError) as closed:
            v.sdk().ats.create_application(job_id=job.id, candidate={"first_name": "A", "last_name": "B",
                                                                     "email_address": new_email()})  # fmt: skip
        assert closed.value.data.error.code == "ATS.JOB_CLOSED" and not fake.applicants.submitted()
