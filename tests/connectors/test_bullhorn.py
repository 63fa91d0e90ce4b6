"""Bullhorn connector: golden mapper tests on the recorded SDK fixtures (unchanged), then the vendor's true
quirks: the OAuth + session login whose answer names the base URL, single-use refresh tokens saved at once,
data-centre redirects, ``start``/``count`` paging without ``total``, Placements that change an outcome
without touching the submission, and the writes' Bullhorn specifics."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import Engine, select

from atsbridge.connect.service import create_integration
from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall
from atsbridge.connectors.base import IntegrationInfo, MapContext, Mapper
from atsbridge.connectors.bullhorn import actions
from atsbridge.connectors.bullhorn import mappers as m
from atsbridge.connectors.bullhorn.api import API, LOGIN_API, StartCount
from atsbridge.connectors.bullhorn.streams import STREAMS
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes.bullhorn import FakeState, create_app
from atsbridge.model import write_bodies as bodies
from atsbridge.model.record import UnifiedRecord
from atsbridge.store.tables import MODEL_TABLES
from atsbridge.sync.engine import SyncEngine
from atsbridge.testing import serve_asgi
from tests.conftest import payloads

Raw = dict[str, Any]
PAY = payloads("bullhorn")
CTX = MapContext("bullhorn:golden")
BASE = "http://bh.test"
CONFIG = {"base_url": f"{BASE}/rest-services", "oauth_url": f"{BASE}/oauth"}
CREDS = {"client_id": "bh_client", "client_secret": "bh_secret", "refresh_token": "bh_refresh_seed"}


def rows(name: str) -> list[Raw]:
    return list(json.loads((PAY / f"{name}.json").read_text())["data"])


def ref(model: str, remote_id: object) -> str:
    return record_id(CTX.integration_id, model, str(remote_id))


def mapped(mapper: Mapper, raws: list[Raw], ctx: MapContext = CTX) -> dict[str, UnifiedRecord]:
    return {r.remote_id: r for raw in raws for r in mapper(raw, ctx)}


# ------------------------------------------------------------------------------------------- golden tests


def test_submissions_map_to_applications_with_status_stages() -> None:
    apps = mapped(m.map_application, rows("jobsubmission_list"))
    assert len(apps) == 20
    first = apps["1"].fields
    assert first["candidate_id"] == ref("candidates", 10) and first["job_id"] == ref("jobs", 317)
    assert first["current_stage_id"] == ref("application_stages", "Approved")
    assert first["outcome"] == "PENDING" and first["rejection_reason_name"] is None
    assert first["remote_created_at"] == "2020-05-26T09:32:38.577Z"
    assert apps["2"].fields["custom_fields"]["status"] == "Facility Submission"


def test_placement_means_hired_and_the_status_map_decides_the_rest() -> None:
    placements: dict[int, Raw] = {}
    for p in rows("placement_list"):
        placements.setdefault(p["jobSubmission"]["id"], p)
    subs = [{**s, "_placement": placements.get(s["id"])} for s in rows("jobsubmission_list")]
    apps = mapped(m.map_application, subs)
    assert apps["1"].fields["outcome"] == "HIRED" and apps["1"].fields["custom_fields"]["placement_id"] == 1
    assert apps["3"].fields["outcome"] == "HIRED" and apps["6"].fields["outcome"] == "PENDING"
    tenant = MapContext("bullhorn:golden", status_map={"submission": "DECLINED"})
    declined = mapped(m.map_application, subs, tenant)["6"].fields
    assert declined["outcome"] == "DECLINED" and declined["rejection_reason_name"] == "Submission"
    assert mapped(m.map_application, [{**subs[5], "status": "Client Rejected"}])["6"].fields["outcome"] == "DECLINED"


def test_job_orders_map_to_jobs() -> None:
    jobs = mapped(m.map_job, rows("joborder_list"))
    closed, open_ = jobs["1"].fields, jobs["17"].fields
    assert closed["name"] == "Job1" and closed["status"] == "CLOSED" and closed["visibility"] == "INTERNAL"
    assert closed["closed_at"] == "2012-01-27T02:55:28.633Z" and closed["salary_amount"] == 100000
    assert closed["location"] == {
        "street_1": "33-41 Farnsworth Street",
        "city": "city",
        "state": "Massachusetts",
        "zip_code": "02121",
        "street_2": None,
        "country": None,
        "raw": None,
    }
    assert closed["custom_fields"]["status"] == "Submitted" and closed["employment_type"] == "50 - Direct Hire"
    assert open_["status"] == "OPEN" and open_["closed_at"] is None


def test_appointments_notes_files_and_the_candidate_example() -> None:
    interview = mapped(m.map_interview, rows("appointment_list"))["1"]
    assert interview.fields["starting_at"] == "2013-05-15T17:30:00.000Z" and interview.fields["location"] is None
    assert interview.nested == {"user_ids": [ref("users", 1)]}
    note = mapped(m.map_note, rows("note_list"))["1"].fields
    assert note["candidate_id"] == ref("candidates", 7826) and note["title"] == "File Attached"
    assert note["author_id"] == ref("users", 2) and note["content_html"].startswith("File attached")
    files = mapped(m.map_attachment, rows("candidatefileattachment_list"))
    cv = files["1966/1"].fields
    assert cv["content_type"] == "text/plain" and cv["file_name"] == "TextCV2.txt" and cv["type"] == "OTHER"
    candidate = json.loads((PAY / "doc_entity_get_candidate.json").read_text())
    fields = mapped(m.map_candidate, [candidate])["5059165"].fields
    assert fields["first_name"] == "Alanzo" and fields["location"]["city"] == "Sacramento"


# -------------------------------------------------------------------------------------------------- quirks


def source(
    app: Any, credentials: Raw, saved: list[Raw] | None = None, api: kit.VendorApi = API, iid: str = "bh-test"
) -> kit.KitSource:
    async def save(found: dict[str, Any]) -> None:
        (saved if saved is not None else []).append(found)

    info = IntegrationInfo(iid, "bullhorn", CONFIG, credentials, None, save)
    client = api.client(info, httpx.ASGITransport(app=app))
    return kit.KitSource(api, client, CONFIG, streams=kit.resolve(STREAMS), info=info)


def test_login_answer_is_the_base_url_and_rotated_tokens_are_saved_at_once() -> None:
    fake = FakeState.generate(3, 12, None)
    saved: list[Raw] = []

    async def go() -> Any:
        src = source(create_app(state=fake), CREDS, saved)
        first = await src.get_json("/ping")
        fake.session.expire_sessions()  # a dead session: a new token, a new login, once
        again = await src.all_records("c", "/query/Candidate", {"where": "isDeleted=false", "fields": "id"})
        await src.aclose()
        return first, again

    first, again = asyncio.run(go())
    assert "sessionExpires" in first and len(again) == 12
    paths = [e.path for e in fake.log.entries()]
    assert all(p.startswith("/rest-services/e999/") for p in paths), paths  # every call went to restUrl
    assert len(saved) == 2 and fake.session.refresh == {saved[1]["refresh_token"]}  # saved before it was used
    used = dict(CREDS, refresh_token=saved[0]["refresh_token"])  # single use: dead once rotated
    # another source of this integration still holding it (a write during a sync) takes its in-process successor
    assert "sessionExpires" in asyncio.run(source(create_app(state=fake), used).get_json("/ping"))
    with pytest.raises(RemoteError, match=r"refused the OAuth client or refresh token \(400\)") as caught:
        asyncio.run(source(create_app(state=fake), used, iid="bh-other").get_json("/ping"))
    assert caught.value.code == "INTEGRATION.AUTHENTICATION_INVALID"
    login = json.loads((PAY / "doc_login_response.json").read_text())
    answered = asyncio.run(_login_answer(fake))
    assert set(answered) == set(login) and answered["restUrl"].endswith("/rest-services/e999/")


async def _login_answer(fake: FakeState) -> Raw:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(state=fake)), base_url=BASE) as c:
        token = (await c.post("/oauth/token", params={**CREDS, "grant_type": "refresh_token"})).json()
        return dict(
            (await c.get("/rest-services/login", params={"version": "*", "access_token": token["access_token"]})).json()
        )


def test_login_variant_gets_its_own_code_and_a_wrong_password_is_a_401() -> None:
    fake = FakeState.generate(3, 5, None)
    user = {"client_id": "bh_client", "client_secret": "bh_secret", "username": "api.user", "password": "api-pass"}
    assert "sessionExpires" in asyncio.run(source(create_app(state=fake), user, api=LOGIN_API).get_json("/ping"))
    assert fake.session.issued == 1 and not fake.session.codes  # the code was exchanged once
    with pytest.raises(RemoteError, match=r"\(401\)"):
        asyncio.run(source(create_app(state=fake), {**user, "password": "nope"}, api=LOGIN_API).get_json("/ping"))


def test_paging_goes_past_a_capped_page_and_stops_on_empty_or_total() -> None:
    pager, request = StartCount(), PageRequest("GET", "/query/Candidate", {"where": "x"})
    first = pager.first(request)
    assert first.params == {"where": "x", "start": 0, "count": 500}
    ok = httpx.Response(200)
    capped = pager.next(first, ok, {"start": 0, "count": 200, "data": [{}] * 200})
    assert capped is not None and capped.params is not None and capped.params["start"] == 200
    assert pager.next(capped, ok, {"start": 200, "count": 0, "data": []}) is None
    assert pager.next(first, ok, {"total": 3, "start": 0, "count": 3, "data": [{}] * 3}) is None
    with pytest.raises(RemoteError, match="no data list"):  # not the end of the listing
        pager.next(first, ok, {"errorMessage": "?"})


def test_a_placement_alone_makes_the_next_delta_hire(engine: Engine, settings: Settings, environment: str) -> None:
    fake = FakeState.generate(5, 15, None)
    table = MODEL_TABLES["applications"]
    with serve_asgi(create_app(state=fake)) as url:
        config = {"base_url": f"{url}/rest-services", "oauth_url": f"{url}/oauth", "sync_all_applications": True}
        iid = create_integration(engine, settings, environment, "bullhorn", "BH", config=config, credentials=CREDS)
        assert asyncio.run(SyncEngine(engine, settings).run(iid, full=True)).status == "SUCCEEDED"
        placed = {p["jobSubmission"]["id"] for p in fake.of("Placement").values()}
        sub = next(i for i, s in fake.of("JobSubmission").items() if i not in placed)
        before = fake.of("JobSubmission")[sub]["dateLastModified"]
        fake.place(sub)
        assert fake.of("JobSubmission")[sub]["dateLastModified"] == before
        assert asyncio.run(SyncEngine(engine, settings).run(iid, full=False)).status == "SUCCEEDED"
    with engine.connect() as conn:
        found = conn.execute(select(table.c.data).where(table.c.integration_id == iid, table.c.remote_id == str(sub)))
        assert orjson.loads(found.scalar_one())["outcome"] == "HIRED"


# -------------------------------------------------------------------------------------------------- writes


def _create_call(job: str, progress: Raw | None = None) -> WriteCall[Any]:
    body = bodies.CreateApplication(
        candidate=bodies.NewCandidate(first_name="Ann", last_name="Lee", email_address="ann@x.example")
    )
    call: WriteCall[Any] = WriteCall(
        "create_application",
        "bh-test",
        body,
        job_remote_id=job,
        stage={"remote_id": "Submitted"},
        files=[FileData("cv.pdf", "CV", "application/pdf", b"%PDF-1")],
        remote_fields={"candidate": {"source": "Referral"}, "job_submission": {"source": "Web"}},
    )
    call.progress = progress if progress is not None else {}
    return call


def test_create_application_puts_candidate_submission_and_file_once() -> None:
    fake = FakeState.generate(3, 6, None)
    job = str(next(i for i, j in fake.of("JobOrder").items() if j["isOpen"]))
    call = _create_call(job)
    result = asyncio.run(actions.create_application(source(create_app(state=fake), CREDS), call))
    cand = fake.of("Candidate")[int(result.created["candidate_remote_id"])]
    sub = fake.of("JobSubmission")[int(result.created["application_remote_id"])]
    assert cand["source"] == "Referral" and cand["name"] == "Ann Lee"
    assert (sub["status"], sub["source"], sub["candidate"]["id"]) == ("Submitted", "Web", cand["id"])
    files = [f for f in fake.of("CandidateFileAttachment").values() if f["candidate"]["id"] == cand["id"]]
    assert [(f["name"], f["type"]) for f in files] == [("cv.pdf", "Resume")]
    assert fake.files[files[0]["id"]][0] == b"%PDF-1"
    # a retry whose first try made everything but never heard back: adopted, nothing created twice
    resumed = {k: v for k, v in call.progress.items() if not k.endswith("_remote_id")}
    counts = {k: len(v) for k, v in fake.entities.items()}
    again = asyncio.run(actions.create_application(source(create_app(state=fake), CREDS), _create_call(job, resumed)))
    assert again.created == result.created and {k: len(v) for k, v in fake.entities.items()} == counts


def test_moving_sets_the_free_text_status_and_writes_history() -> None:
    fake = FakeState.generate(3, 6, None)
    sid = next(i for i, s in fake.of("JobSubmission").items() if s["status"] != "Client Rejected")
    call: WriteCall[Any] = WriteCall(
        "move_application_to_stage",
        "bh-test",
        bodies.MoveStage(stage_id="x"),
        application={"remote_id": str(sid)},
        stage={"remote_id": "Client Rejected"},
    )
    result = asyncio.run(actions.move_stage(source(create_app(state=fake), CREDS), call))
    assert fake.of("JobSubmission")[sid]["status"] == "Client Rejected"
    assert [h["status"] for h in fake.of("JobSubmissionHistory").values() if h["jobSubmission"]["id"] == sid] == [
        "Client Rejected"
    ]
    assert mapped(m.map_application, [result.records[0][1]])[str(sid)].fields["outcome"] == "DECLINED"
    call.stage = {"remote_id": "Not a status"}
    with pytest.raises(RemoteError, match="Invalid value for field status"):  # the vendor's own message
        asyncio.run(actions.move_stage(source(create_app(state=fake), CREDS), call))
