"""eRecruiter (erecruiter.net): golden mapper tests on the recorded token answer and the documented shapes (the
vendor's .NET client classes), enums as numbers or names, the outcome rule (status map, then workflow group),
jobs once across channels, and the writes through the SDK: create-once after a stall, tags by replacing the
applicant, and import_tracked_application with both of the contract's ``erecruiter`` id types."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from pathlib import Path

import httpx
import pytest
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.erecruiter import mappers as m
from atsbridge.connectors.erecruiter.api import API
from atsbridge.connectors.erecruiter.streams import STREAMS, channels
from atsbridge.core.config import Settings
from atsbridge.fakes.erecruiter import FakeState
from tests.conftest import Server
from tests.contract.harness import live

CTX = MapContext("erecruiter:golden")
PAYLOADS = Path(__file__).parents[2] / "src/atsbridge/fakes/erecruiter/payloads"
APPLICANT = {"Id": 501, "FirstName": "Anna", "LastName": "Gruber", "Email": "anna@mail.example", "Gender": 2,
             "Phone": "+43 1 234", "MobilePhone": "+43 660 1", "City": "Wien", "ZipCode": "1010",
             "Country": "Österreich", "Url": "https://anna.example", "Referrer": "karriere.at", "Tags": ["Top", " "],
             "DateOfCreation": "2025-03-01T08:00:00.0000000+01:00",
             "DateOfUpdateByUser": "2025-03-02T08:00:00.0000000+01:00",
             "DateOfUpdateByApplicant": "2025-03-05T09:30:00.0000000+01:00"}  # fmt: skip
APPLICATION = {"Id": 901, "ApplicantId": 501, "JobId": 77, "Status": "Zusage", "WorkflowStatusGroup": 6,
               "Referrer": "Homepage", "Rating": 4, "AvailableActivities": [{"Name": "Absagen"}]}  # fmt: skip


def test_the_recorded_token_answer_is_what_the_login_reads() -> None:
    """The help page's sample of ``POST ~/Api``: the token under ``Token`` (the kit's ``token_path``)."""
    body = json.loads((PAYLOADS / "token.response.json").read_text())
    assert API.auth.token_path == "Token" and body["Token"] == "sample string 1"  # type: ignore[union-attr]
    assert API.auth.header == "X-ApiToken" and API.auth.template == "{}"  # type: ignore[union-attr]


def test_applicant_maps_to_a_candidate_and_its_applications() -> None:
    cand, app = m.map_applicant({"id": "501", "_applicant": APPLICANT, "_applications": [APPLICATION]}, CTX)
    assert cand.fields["remote_updated_at"] == "2025-03-05T08:30:00.000Z"  # the later of the two edit times
    assert [p["type"] for p in cand.fields["phone_numbers"]] == [None, "MOBILE"]
    assert cand.fields["custom_fields"]["Gender"] == "FEMALE" and cand.fields["source"] == "karriere.at"
    assert cand.nested["tag_ids"] == [CTX.ref("tags", "Top")]
    assert app.fields["outcome"] == "HIRED" and app.fields["current_stage_id"] == CTX.ref(
        "application_stages", "Zusage"
    )
    assert app.fields["candidate_id"] == CTX.ref("candidates", 501) and app.fields["job_id"] == CTX.ref("jobs", 77)
    assert app.fields["custom_fields"]["JobId"] == 77  # notes are filed under the job
    assert list(m.map_applicant({"id": "501", "_applicant": None, "_applications": None}, CTX)) == []


def test_outcome_by_status_map_then_workflow_group_number_or_name() -> None:
    def outcome(ctx: MapContext, **changes: object) -> str:
        return str(m.map_application({**APPLICATION, **changes}, ctx).fields["outcome"])

    assert outcome(CTX) == "HIRED" and outcome(CTX, WorkflowStatusGroup="Rejected") == "DECLINED"
    assert outcome(CTX, WorkflowStatusGroup=5) == "DECLINED" and outcome(CTX, WorkflowStatusGroup=2) == "PENDING"
    assert outcome(CTX, WorkflowStatusGroup=99) == "PENDING" and outcome(CTX, WorkflowStatusGroup=None) == "PENDING"
    custom = MapContext("erecruiter:golden", status_map={"vertrag unterschrieben": "HIRED", "zusage": "PENDING"})
    assert outcome(custom) == "PENDING"
    assert outcome(custom, Status="Vertrag unterschrieben", WorkflowStatusGroup=4) == "HIRED"


def test_job_status_enum_and_postings() -> None:
    raw = {"Id": 77, "Title": "Pflegefachkraft", "InternalName": "PFK Wien", "Status": 2, "Location": "Wien",
           "CreationDate": "2025-01-01T00:00:00+00:00",
           "PublishedOn": [{"Name": "Homepage", "JobAdUrl": "https://j/77"}]}  # fmt: skip
    (job,) = m.map_job(raw, CTX)
    assert job.fields["status"] == "CLOSED" and job.fields["name"] == "Pflegefachkraft"
    assert [p["url"] for p in job.nested["job_postings"]] == ["https://j/77"]
    (draft,) = m.map_job({**raw, "Status": "Draft"}, CTX)
    assert draft.fields["status"] == "DRAFT"
    assert m.enum_name(True, m.JOB_STATUSES) is None and m.enum_name(-1, m.JOB_STATUSES) is None


def test_documents_keep_their_extension_once() -> None:
    assert m.file_name({"Name": "Zeugnis", "FileExtension": ".pdf"}) == "Zeugnis.pdf"
    assert m.file_name({"Name": "cv.PDF", "FileExtension": "pdf"}) == "cv.PDF"
    (doc,) = m.map_document({"Id": 3, "Name": "Lebenslauf", "FileExtension": ".pdf", "Type": "CV",
                             "_applicant": {"id": "501"}}, CTX)  # fmt: skip
    assert (doc.fields["type"], doc.fields["content_type"]) == ("CV", "application/pdf")


def test_jobs_are_read_per_channel_and_kept_once() -> None:
    """``PublishedJobs`` takes one channel; a job published on two comes twice and is kept once."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url.params.get("channel") or request.url.path))
        if request.url.path.endswith("/Api/"):
            return httpx.Response(200, json={"Token": "t", "Expires": "2030-01-01T00:00:00+00:00"})
        if request.url.path.endswith("/Mandator"):
            return httpx.Response(200, json={"JobPublicationTypes": [{"Name": "A"}, {"Name": "B"}, {"Name": "A"}]})
        jobs = [{"Id": 1, "Title": "x"}] + ([{"Id": 2, "Title": "y"}] if request.url.params["channel"] == "B" else [])
        return httpx.Response(200, json={"Jobs": jobs, "Culture": "de-AT"})

    info = IntegrationInfo("i", "erecruiter", {"domain": "er.example"}, {"api_key": "k", "mandator_id": "1"})
    source = kit.KitSource(API, API.client(info, httpx.MockTransport(handler)), info.config,
                           streams=kit.resolve(STREAMS))  # fmt: skip
    jobs = next(s for s in STREAMS if s.name == "jobs")

    async def read() -> list[dict[str, object]]:
        try:
            return [r async for page in source.read(jobs, None) for r in page]
        finally:
            await source.aclose()

    rows = asyncio.run(read())
    assert [r["Id"] for r in rows] == [1, 2] and seen.count("A") == 1 and seen.count("B") == 1
    assert channels({"JobPublicationTypes": None}) == [] and channels([]) == []


def test_writes_through_the_sdk(engine: Engine, settings: Settings, server: Server) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("erecruiter", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        k = v.sdk()
        jobs = k.ats.get_jobs(page_size=50).result.data.results
        email = f"ada.{uuid.uuid4().hex[:6]}@x.example"
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
        key = {"Idempotency-Key": uuid.uuid4().hex}
        v.arm(kind="stall", n=1, seconds=2.5, writes=True)
        with pytest.raises(KomboAtsError):
            k.ats.create_application(job_id=jobs[0].id, candidate=cand, http_headers=key)
        made = k.ats.create_application(job_id=jobs[0].id, candidate=cand, http_headers=key).data
        mine = [p for p in fake.applicants.values() if p["Email"] == email]
        assert len(mine) == 1 and made.candidate is not None and made.candidate.remote_id == str(mine[0]["Id"])
        assert [str(a["Id"]) for a in fake.applications.values() if a["ApplicantId"] == mine[0]["Id"]] == [
            made.remote_id
        ]
        with pytest.raises(KomboAtsError) as info:  # the API answers Errors: [ApplicationAlreadyExists]
            k.ats.create_application(job_id=jobs[0].id, candidate={**cand, "email_address": email.upper()})
        assert info.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"

        k.ats.add_candidate_tag(candidate_id=made.candidate.id, tag={"name": "Talentpool"})
        assert mine[0]["Tags"] == ["Talentpool"] and mine[0]["LastName"] == "Lovelace"  # the rest sent back
        k.ats.remove_candidate_tag(candidate_id=made.candidate.id, tag={"name": "talentpool"})
        assert mine[0]["Tags"] == []

        k.ats.add_application_note(application_id=made.id, content="Telefonat", content_type="PLAIN_TEXT")
        (entry,) = fake.history[mine[0]["Id"]]
        assert entry["Body"] == "Telefonat" and str(entry["JobId"]) == jobs[0].remote_id

        pdf = {"name": "Zeugnis.pdf", "type": "OTHER", "content_type": "application/pdf",
               "data": base64.b64encode(b"%PDF-1.4 x").decode()}  # fmt: skip
        k.ats.add_application_attachment(application_id=made.id, attachment=pdf)
        (doc,) = [d for d in fake.documents.values() if d["_applicant"] == mine[0]["Id"]]
        assert (doc["Name"], doc["FileExtension"], doc["_content"]) == ("Zeugnis", ".pdf", b"%PDF-1.4 x")
        files = k.ats.get_candidate_attachments(candidate_id=made.candidate.id).data.results
        assert [f.remote_id for f in files] == [str(doc["Id"])]  # written through as the candidate's document

        other = next(a for a in fake.applications.values() if a["ApplicantId"] != mine[0]["Id"])
        by_job = k.ats.import_tracked_application(tracked_at=None, erecruiter={
            "id_type": "application_and_job_remote_ids", "application_remote_id": str(other["Id"]),
            "job_remote_id": str(other["JobId"])}).data  # fmt: skip
        by_candidate = k.ats.import_tracked_application(tracked_at=None, erecruiter={
            "id_type": "application_and_candidate_remote_ids", "application_remote_id": str(other["Id"]),
            "candidate_remote_id": str(other["ApplicantId"])}).data  # fmt: skip
        assert by_job.id == by_candidate.id
        with pytest.raises(KomboAtsError) as info:
            k.ats.import_tracked_application(tracked_at=None, erecruiter={
                "id_type": "application_and_job_remote_ids", "application_remote_id": "1",
                "job_remote_id": str(other["JobId"])})  # fmt: skip
        assert info.value.data.error.code == "REMOTE.INPUT_INVALID"
