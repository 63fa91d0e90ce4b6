"""Taleez: golden mapper tests on the documented shapes (no payload was recorded), the outcome rule (rejected
first, then the customer's step names), 0-based pages, and the apply write's create-once through the SDK."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connectors.base import MapContext
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.connectors.taleez import mappers as m
from atsbridge.connectors.taleez.api import PAGER
from atsbridge.core.config import Settings
from atsbridge.fakes.taleez import FakeState
from tests.conftest import Server
from tests.contract.harness import live

CTX = MapContext("taleez:golden")
#: Documented shapes (OpenAPI 0.4.0): job ``dateCreation`` in seconds, application ``date`` in milliseconds.
JOB = {"id": 42, "token": "tk42", "dateCreation": 1567771321, "label": "Comptable", "profile": "COMPTABILITE",
       "currentStatus": "PUBLISHED", "contract": "CDD", "contractLength": 6, "fullTime": True, "remote": True,
       "country": "FRANCE", "city": "Nantes", "postalCode": "44000", "recruiterId": 7, "companyLabel": "Acme",
       "tags": ["finance"], "url": "https://taleez.com/apply/42", "urlApplying": "https://taleez.com/apply/42/a",
       "visibility": "INTERNAL_AND_PUBLIC", "jobDescription": "<p>A</p>", "profileDescription": "<p>B</p>"}  # fmt: skip
CANDIDATE = {"id": 9, "firstName": "Léa", "lastName": "Dubois", "mail": "lea@x.example", "phone": "+33 6",
             "initialReferrer": "Indeed", "lang": "FR", "dateCreation": 1579978410,
             "socialLinks": {"linkedin": "https://linkedin.com/in/lea", "dribble": None},
             "location": {"country": "FRANCE", "city": "Lyon", "postalCode": "69002"}}  # fmt: skip
APPLICATION = {"id": 77, "type": "APPLICATION_TO_A_JOB", "date": 1579978410000, "referer": "Indeed", "jobId": 42,
               "recruiterId": 7, "currentStepName": "Embauché", "rejected": False, "_parent": {"id": "9"}}  # fmt: skip


def test_documented_shapes_map_with_both_epoch_units() -> None:
    (job,) = m.map_job(JOB, CTX)
    assert (job.fields["status"], job.fields["visibility"], job.fields["employment_type"]) == ("OPEN", "PUBLIC",
                                                                                              "TEMPORARY")  # fmt: skip
    assert (
        job.fields["remote_created_at"] == "2019-09-06T12:02:01.000Z" and job.fields["remote_work_status"] == "REMOTE"
    )
    assert job.fields["description"] == "<p>A</p><p>B</p>" and job.fields["contact_id"] == CTX.ref("users", 7)
    (cand,) = m.map_candidate(CANDIDATE, CTX)
    assert [s["link"] for s in cand.fields["social_media"]] == ["https://linkedin.com/in/lea"]
    assert cand.fields["remote_created_at"] == "2020-01-25T18:53:30.000Z" and cand.fields["source"] == "Indeed"
    (app,) = m.map_application(APPLICATION, CTX)
    assert app.fields["remote_created_at"] == "2020-01-25T18:53:30.000Z"
    assert app.fields["candidate_id"] == CTX.ref("candidates", "9") and app.fields["job_id"] == CTX.ref("jobs", 42)
    assert m.epoch("1579978410") is None and m.epoch(True) is None


def test_rejected_wins_then_the_customers_step_names_decide() -> None:
    def outcome(ctx: MapContext, **changes: object) -> str:
        (app,) = m.map_application({**APPLICATION, **changes}, ctx)
        return str(app.fields["outcome"])

    assert outcome(CTX) == "HIRED"
    assert outcome(CTX, rejected=True) == "DECLINED"  # rejected keeps the last step's name
    assert outcome(CTX, currentStepName="Entretien RH") == "PENDING"
    custom = MapContext("taleez:golden", status_map={"signé": "HIRED", "embauché": "PENDING"})
    assert outcome(custom, currentStepName="Signé") == "HIRED" and outcome(custom) == "PENDING"
    assert outcome(custom, currentStepName="Signé", rejected=True) == "DECLINED"


def test_pages_count_from_zero() -> None:
    first = PAGER.first(PageRequest("GET", "/candidates"))
    assert first.params == {"page": 0, "pageSize": 100}
    full = httpx.Response(200, json={"list": [{}] * 100})
    second = PAGER.next(first, full, full.json())
    assert second is not None and second.params == {"page": 1, "pageSize": 100}
    short = {"page": 1, "pageSize": 100, "listSize": 3, "list": [{}] * 3, "hasMore": False}
    assert PAGER.next(second, httpx.Response(200, json=short), short) is None


def test_apply_is_created_once_after_a_stall_and_reuses_the_candidate(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("taleez", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        k = v.sdk()
        jobs = k.ats.get_jobs(page_size=50).result.data.results
        email = f"ada.{uuid.uuid4().hex[:6]}@x.example"
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
        key = {"Idempotency-Key": uuid.uuid4().hex}
        v.arm(kind="stall", n=1, seconds=2.5, writes=True)
        select: Any = next(q for q in jobs[0].screening_questions if q.title == "Disponibilité")
        option = select.format_.options[1]
        with pytest.raises(KomboAtsError):
            k.ats.create_application(
                job_id=jobs[0].id,
                candidate=cand,
                http_headers=key,
                screening_question_answers=[{"question_id": select.id, "answer": option.id}],
            )
        answer = [{"question_id": select.id, "answer": option.id}]
        again = k.ats.create_application(job_id=jobs[0].id, candidate=cand, http_headers=key,
                                         screening_question_answers=answer).data  # fmt: skip
        mine = [a for a in fake.applications.values() if fake.candidates[a["_candidate"]]["mail"] == email]
        assert [str(a["id"]) for a in mine] == [again.remote_id] and again.candidate is not None
        assert mine[0]["_answers"] == [{"questionId": int(select.remote_id),
                                        "choices": [int(option.remote_id)]}]  # fmt: skip
        other = k.ats.create_application(job_id=jobs[1].id, candidate=cand).data
        assert other.candidate is not None and other.candidate.remote_id == again.candidate.remote_id
        with pytest.raises(KomboAtsError) as info:
            k.ats.add_application_note(application_id=other.id, content="x", content_type="PLAIN_TEXT")
        assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"
