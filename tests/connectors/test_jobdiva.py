"""JobDiva connector: golden tests on the documented BI row shapes (no JobDiva payload was ever recorded: the
rows below are built from the columns public clients read [3p]), and the vendor's true quirks against the
fake: the bare-token GET login, the required date window and its delta overlap, the deletion reports, and
the writes' create-once lookups in the BI reports."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, WriteCall
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.jobdiva import CONNECTOR
from atsbridge.connectors.jobdiva import mappers as m
from atsbridge.connectors.jobdiva.actions import add_note, create_application
from atsbridge.connectors.jobdiva.api import API
from atsbridge.connectors.jobdiva.streams import DELETIONS, STREAMS
from atsbridge.core.ids import record_id
from atsbridge.fakes.jobdiva import FakeState, conformance_setup, create_app
from atsbridge.fakes.jobdiva import webhooks as fake_webhooks
from atsbridge.fakes.kit.spec import Change
from atsbridge.model import write_bodies as bodies

CTX = MapContext("jobdiva:golden")
JOB = {"JOBID": "20001", "JOBDIVANO": "24-00001", "TITLE": "Java Developer", "COMPANYID": "801",
       "COMPANYNAME": "Globex", "DIVISIONNAME": "Staffing     ", "JOBSTATUS": "OPEN", "POSITIONTYPE": "Contract",
       "OPENINGS": "2", "ISSUEDATE": "2026-09-01T10:00:00", "DATEUPDATED": "2026-09-17T19:30:48", "CITY": "Newark",
       "STATE": "NJ", "PRIMARYRECRUITERID": "500"}  # fmt: skip
ACTIVITY = {"ACTIVITYID": "900", "JOBID": "20001", "CANDIDATEID": "100", "USERID": "500", "STATUS": "Submitted",
            "SUBMITTALFLAG": "1", "INTERVIEWFLAG": "0", "HIREFLAG": "0", "EXTERNALREJECTDATE": "",
            "INTERNALREJECTDATE": "", "SUBMITTALDATE": "2026-09-02T09:00:00",
            "ACTIVITYDATE": "2026-09-03T09:00:00"}  # fmt: skip


def test_documented_rows_map() -> None:
    (job,) = m.map_job(JOB, CTX)
    assert (job.remote_id, job.fields["name"], job.fields["status"]) == ("20001", "Java Developer", "OPEN")
    assert next(m.map_job({**JOB, "JOBSTATUS": "On Hold"}, CTX)).fields["status"] == "CLOSED"
    assert job.fields["department"] == "Staffing" and job.fields["location"]["raw"] == "Newark, NJ"
    assert job.fields["remote_updated_at"].startswith("2026-09-17T19:30:48")
    assert job.nested["hiring_team"][0]["user_id"] == record_id(CTX.integration_id, "users", "500")
    (cand,) = m.map_candidate({"CANDIDATEID": "100", "FIRSTNAME": "Ada", "LASTNAME": "Lovelace",
                               "EMAIL": "ada@mail.example", "CELLPHONE": "(201) 555-0100", "HOMEPHONE": "",
                               "CITY": "Newark", "STATE": "NJ"}, CTX)  # fmt: skip
    assert [e["email_address"] for e in cand.fields["email_addresses"]] == ["ada@mail.example"]
    assert [(p["phone_number"], p["type"]) for p in cand.fields["phone_numbers"]] == [("(201) 555-0100", "MOBILE")]
    (app,) = m.map_application(ACTIVITY, CTX)
    assert (app.remote_id, app.fields["outcome"], app.fields["custom_fields"]["submittal"]) == ("900", "PENDING", True)
    assert app.fields["job_id"] == record_id(CTX.integration_id, "jobs", "20001")
    (user,) = m.map_user({"USERID": "503", "FIRSTNAME": "Ken", "EMAIL": "k@agency.example", "ACTIVE": "0"}, CTX)
    assert user.fields["status"] == "INACTIVE"
    (note,) = m.map_note({"NOTEID": "7", "CANDIDATEID": "100", "NOTE": "Called", "DATECREATED": "2026-09-03"}, CTX)
    assert note.fields["candidate_id"] == record_id(CTX.integration_id, "candidates", "100")
    assert list(m.map_application({**ACTIVITY, "ACTIVITYID": " "}, CTX)) == []  # no id: nothing to store
    stamps = [m.when(CTX, v) for v in ("09/17/2026 19:30:48", "1789673448000", "not a date", "")]
    assert [t.isoformat() if t else None for t in stamps] == [
        "2026-09-17T19:30:48+00:00", "2026-09-17T19:30:48+00:00", None, None]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "status_map", "outcome"),
    [
        ({"HIREFLAG": "1", "STATUS": "Placed"}, {}, "HIRED"),  # a start is a hire, whatever the text
        ({"EXTERNALREJECTDATE": "2026-09-04T00:00:00", "STATUS": "Client Rejected"}, {}, "DECLINED"),
        ({"STATUS": "Offer Declined"}, {}, "PENDING"),  # agency-named statuses: PENDING by default...
        ({"STATUS": "Offer Declined"}, {"offer declined": "DECLINED"}, "DECLINED"),  # ...the tenant's map wins
        ({"HIREFLAG": "1", "START_STATUS": "Cancelled"}, {"cancelled": "DECLINED"}, "DECLINED"),
    ],
)
def test_free_text_statuses_and_the_tenant_map(changes: dict[str, str], status_map: dict[str, str],
                                               outcome: str) -> None:  # fmt: skip
    (app,) = m.map_application({**ACTIVITY, **changes}, MapContext("jobdiva:golden", status_map))
    assert app.fields["outcome"] == outcome


def _source(fake: FakeState, log: list[httpx.Request] | None = None) -> kit.KitSource:
    config, credentials = conformance_setup("http://jobdiva.test")
    info = IntegrationInfo("i", "jobdiva", config, credentials)
    asgi = httpx.ASGITransport(app=create_app(state=fake, rate_limit=None))

    class Logged(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if log is not None:
                log.append(request)
            return await asgi.handle_async_request(request)

    return kit.KitSource(API, API.client(info, Logged()), config, streams=kit.resolve(STREAMS),
                         deletion_feeds=DELETIONS, info=info)  # fmt: skip


def _rows(source: kit.KitSource, name: str, since: datetime | None) -> list[dict[str, Any]]:
    async def go() -> list[dict[str, Any]]:
        return [row async for page in source.read(source.streams[name], since) for row in page]

    return asyncio.run(go())


def test_login_by_get_and_the_required_window_with_a_delta_overlap() -> None:
    fake, log = FakeState.generate(2, 20, rate=None), []
    source = _source(fake, log)
    assert len(_rows(source, "candidates", None)) == len(fake.candidates)
    login, full = log[0], log[1]
    assert login.method == "GET" and login.url.path == "/apiv2/authenticate"
    assert dict(login.url.params) == {
        "clientid": "4242",
        "username": "api@agency.example",
        "password": "jobdiva_secret",
    }
    assert full.headers["authorization"].startswith("Bearer ") and full.url.params["fromDate"] == "01/01/2000 00:00:00"
    since = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    fake.touch("candidates", next(iter(fake.candidates)), FIRSTNAME="Edited")
    assert [r["FIRSTNAME"] for r in _rows(source, "candidates", since)] == ["Edited"]
    assert log[-1].url.params["fromDate"] == "03/01/2026 00:00:00"  # 12 h early: the account's clock is not UTC
    to = datetime.strptime(log[-1].url.params["toDate"], "%m/%d/%Y %H:%M:%S").replace(tzinfo=UTC)
    assert to > datetime.now(UTC)
    assert sum(r.url.path == "/apiv2/authenticate" for r in log) == 1


def test_deletion_reports_name_what_went() -> None:
    fake = FakeState.generate(2, 20, rate=None)
    cid = next(c for c in fake.candidates if any(a["CANDIDATEID"] == c for a in fake.activities.values()))
    gone = {a for a, row in fake.activities.items() if row["CANDIDATEID"] == cid}
    fake.delete_candidate(cid)
    found = asyncio.run(_source(fake).deletions(datetime.now(UTC) - timedelta(minutes=1)))
    assert found.by_model["candidates"] == [cid] and set(found.by_model["applications"]) == gone


def _call(action: str, body: Any, **kw: Any) -> WriteCall[Any]:
    return WriteCall(action, "i", body, **kw)


def _run(
    action: Callable[[kit.KitSource, WriteCall[Any]], Awaitable[Any]], fake: FakeState, call: WriteCall[Any]
) -> Any:
    return asyncio.run(action(_source(fake), call))


def test_note_write_links_the_job_and_a_resumed_call_finds_the_note() -> None:
    fake = FakeState.generate(2, 20, rate=None)
    app = next(iter(fake.activities.values()))
    refs = {"candidate": {"remote_id": app["CANDIDATEID"]}, "job": {"remote_id": app["JOBID"]}}
    note = bodies.Note(content=" Strong fit ", content_type="PLAIN_TEXT")
    done = _run(add_note, fake, _call("add_application_note", note, **refs))
    made = fake.notes[done.created["note_remote_id"]]
    assert (made["NOTE"], made["JOBID"], made["CANDIDATEID"]) == ("Strong fit", app["JOBID"], app["CANDIDATEID"])
    before = len(fake.notes)  # the answer was lost: a retry under the same key finds it in the notes report
    started = int((datetime.now(UTC) - timedelta(minutes=5)).timestamp() * 1000)
    again = _run(add_note, fake, _call("add_application_note", note, progress={"note_create_started": started}, **refs))
    assert again.created == done.created and len(fake.notes) == before
    with pytest.raises(RemoteError) as refused:  # JobDiva's 420 refusal, with its message
        _run(add_note, fake, _call("add_application_note", note, candidate={"remote_id": "1"}))
    assert refused.value.code == "REMOTE.INPUT_INVALID" and "Candidate 1 is not found" in refused.value.message


def test_create_application_reuses_the_profile_and_finds_the_activity() -> None:
    fake = FakeState.generate(2, 20, rate=None)
    job = next(j for j, row in fake.jobs.items() if row["JOBSTATUS"] == "OPEN")
    new = bodies.NewCandidate(first_name="Radia", last_name="Perlman", email_address="Radia@Mail.example")
    body = bodies.CreateApplication(candidate=new)
    done = _run(create_application, fake, _call("create_application", body, job_remote_id=job))
    cid, aid = done.created["candidate_remote_id"], done.created["application_remote_id"]
    assert fake.candidates[cid]["EMAIL"] == "radia@mail.example"
    assert (fake.activities[aid]["CANDIDATEID"], fake.activities[aid]["JOBID"]) == (cid, job)
    assert [name for name, _ in done.records] == ["applications", "candidates"]
    other = next(j for j in fake.jobs if j != job)  # the same person again: one profile, a second activity
    second = _run(create_application, fake, _call("create_application", body, job_remote_id=other))
    assert second.created["candidate_remote_id"] == cid and len(fake.candidates) == 1 + 20 * 2 // 3
    with pytest.raises(AlreadyApplied):
        _run(create_application, fake, _call("create_application", body, job_remote_id=job))


# Webhooks: the documented shape ({type, operation, id, data}) [conn: Nango's JobDiva webhook routing].
def _event(kind: str, operation: str, rid: str = "77") -> dict[str, Any]:
    return {"type": kind, "operation": operation, "id": rid, "data": []}


@pytest.mark.parametrize(
    ("event", "streams"),
    [
        (_event("job", "Insert"), ["jobs"]),
        (_event("activity", "Update"), ["applications", "candidates"]),
        (_event("candidate", "Update"), ["candidates", "notes"]),
        (_event("candidate", "delete"), ["candidates", "notes", "applications"]),
        (_event("contact", "Insert"), []),
        (_event("company", "Update"), []),
        (_event("hotlist", "Insert"), []),
        ({"operation": "Update"}, []),
    ],
)
def test_webhook_events_touch_the_streams_they_change(event: dict[str, Any], streams: list[str]) -> None:
    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.registration == "manual" and hooks.delivery_id is None
    touched = hooks.events(event)
    assert [t.stream for t in touched] == streams
    assert set(streams) <= {s.name for s in STREAMS}
    if touched:  # the record ``id`` names belongs to the first stream; a delete marks it
        assert touched[0].remote_id == "77" and touched[0].deleted is (event["operation"] == "delete")
        assert all(t.remote_id is None and not t.deleted for t in touched[1:])


def test_webhook_events_must_be_objects() -> None:
    assert CONNECTOR.webhooks is not None
    with pytest.raises(ValueError):
        CONNECTOR.webhooks.events([_event("job", "Insert")])


def test_webhook_signature_is_sha1_of_the_raw_body_and_the_fake_signs_alike() -> None:
    hooks = CONNECTOR.webhooks
    assert hooks is not None
    body = orjson.dumps(_event("candidate", "Update"))
    mac = hmac.new(b"s3cret", body, hashlib.sha1).hexdigest()
    hooks.verify({"x-hub-signature": f"sha1={mac}"}, body, "s3cret", 0.0)  # accepted
    assert fake_webhooks.WEBHOOKS.sign(body, "s3cret") == {"X-Hub-Signature": f"sha1={mac}"}
    sha256 = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    refused = {
        "wrong secret": ({"x-hub-signature": "sha1=" + hmac.new(b"other", body, hashlib.sha1).hexdigest()}, body),
        "another body": ({"x-hub-signature": f"sha1={mac}"}, body + b" "),
        "no prefix": ({"x-hub-signature": mac}, body),
        "sha256": ({"x-hub-signature": f"sha256={sha256}"}, body),
        "no header": ({}, body),
    }
    for name, (headers, raw) in refused.items():
        with pytest.raises(kit.WebhookRefused):
            hooks.verify(headers, raw, "s3cret", 0.0)
            pytest.fail(name)


def test_the_fake_announces_each_change_as_jobdiva_does() -> None:
    state = FakeState.generate(seed=3, records=20)
    cid = next(iter(state.candidates))
    nid = state.create_note({"candidateid": cid, "note": "Called."})
    fake_webhooks.note_added(nid, cid)
    body = fake_webhooks.webhook_body
    assert body(Change("notes", nid, "created")) == _event("candidate", "Update", cid)
    assert body(Change("activities", "9", "created")) == _event("activity", "Insert", "9")
    assert body(Change("candidates", cid, "deleted")) == _event("candidate", "delete", cid)
    assert body(Change("users", "1", "updated")) is None
