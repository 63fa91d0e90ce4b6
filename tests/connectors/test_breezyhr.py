"""Breezy HR: golden mapper tests on the vendor's published candidate template (the one record payload there
is), the recorded error bodies, and the vendor's true quirks: a bare ``Authorization`` token or a sign-in
session, a delta that reads newest-first and stops at the last sync, stage-id outcomes, and writes that move
stages (reject = the ``disqualified`` stage) and create candidates per position."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine
from starlette.testclient import TestClient

from atsbridge.connect.service import create_integration
from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.breezyhr import CONNECTOR
from atsbridge.connectors.breezyhr import mappers as m
from atsbridge.connectors.breezyhr.api import API
from atsbridge.connectors.breezyhr.streams import STREAMS
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.breezyhr import FakeState, create_app
from atsbridge.fakes.breezyhr.state import BreezyAuth
from atsbridge.fakes.kit.shapes import differences, shape_of
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server, payloads
from tests.connectors.test_bamboohr import changed_rows, live, retire, run, snapshot

PAY = payloads("breezyhr")
CTX = MapContext("breezyhr:golden")
COMPANY = FakeState.company_id
#: Values for the template's placeholders, by (indent, key): the candidate, then its source/stage, then type.
SAMPLE = {(4, "_id"): "c0ffee01", (4, "name"): "Ada King Lovelace", (4, "email_address"): "Ada@Example.com",
          (4, "headline"): "Engineer", (6, "id"): "hired", (6, "name"): "Hired", (8, "id"): "hired",
          (6, "file_name"): "ada-cv.pdf"}  # fmt: skip


def template() -> list[dict[str, Any]]:
    """``candidates_list.typed-example.json`` as published (``String``/``Date``/``Char(1)`` placeholders and a
    trailing ``...``), read unchanged and given values: field names and nesting are the vendor's."""
    text = (PAY / "candidates_list.typed-example.json").read_text()
    text = text.replace("[String,...]", '["python", "remote"]').replace("Char(1)", '"A"')
    text = text.replace("Date", '"2024-05-01T10:00:00.000Z"')

    def value(found: re.Match[str]) -> str:
        indent, key = len(found.group(1)), found.group(2)
        return f'{found.group(1)}"{key}": {json.dumps(SAMPLE.get((indent, key), key))}'

    text = re.sub(r'(?m)^(\s*)"(\w+)": String', value, text)
    return list(json.loads(re.sub(r",\s*\.\.\.\s*\]", "]", text)))


def test_the_published_candidate_maps_to_a_candidate_and_its_application() -> None:
    (raw,) = template()
    cand, app, cv = m.map_candidate({**raw, "_position": {"_id": "p1", "pipeline_id": "pl1"}}, CTX)
    assert (cand.remote_id, cand.fields["first_name"], cand.fields["last_name"]) == ("c0ffee01", "Ada", "King Lovelace")
    assert cand.fields["email_addresses"] == [{"email_address": "Ada@Example.com", "type": None}]
    assert cand.fields["title"] == "Engineer" and cand.fields["remote_updated_at"] == "2024-05-01T10:00:00.000Z"
    assert cand.nested["tag_ids"] == [record_id(CTX.integration_id, "tags", t) for t in ("python", "remote")]
    assert app.remote_id == "p1:c0ffee01" and app.fields["outcome"] == "HIRED"
    assert app.fields["current_stage_id"] == record_id(CTX.integration_id, "application_stages", "p1:hired")
    assert app.fields["job_id"] == record_id(CTX.integration_id, "jobs", "p1")
    assert app.fields["candidate_id"] == record_id(CTX.integration_id, "candidates", "c0ffee01")
    assert cv.remote_id == "p1/candidate/c0ffee01/resume" and cv.fields["file_name"] == "ada-cv.pdf"
    assert (cv.fields["type"], cv.fields["content_type"]) == ("CV", "application/pdf")
    assert cv.fields["application_id"] == record_id(CTX.integration_id, "applications", "p1:c0ffee01")


def test_outcome_is_the_stage_id_and_custom_stages_follow_the_status_map() -> None:
    assert [m.outcome({"id": s}) for s in ("hired", "disqualified", "offer", "5f1d")] == [
        "HIRED", "DECLINED", "PENDING", "PENDING"]  # fmt: skip
    ctx = MapContext("breezyhr:mapped", status_map={"talent pool": "DECLINED"})
    assert m.outcome({"id": "5f1d", "name": "Talent pool"}, ctx) == "DECLINED"
    assert m.outcome({"id": "hired", "name": "Hired"}, ctx) == "HIRED"


def test_the_fake_serves_the_template_shape_and_the_recorded_errors() -> None:
    client = TestClient(create_app(seed=4, records=20, rate_limit=None))
    base, auth = f"/v3/company/{COMPANY}", {"Authorization": "breezy_pat_fake"}
    pid = client.get(f"{base}/positions", headers=auth).json()[0]["_id"]
    listed = client.get(f"{base}/position/{pid}/candidates", headers=auth, params={"page_size": 5})
    assert listed.status_code == 200 and 0 < len(listed.json()) <= 5
    assert differences(shape_of(template()), listed.json()) == []
    recorded = {name: json.loads((PAY / f"{name}.json").read_text())
                for name in ("error_missing_access_token", "error_invalid_access_token",
                             "error_set_stage_missing_stage_id")}  # fmt: skip
    missing = client.get(f"{base}/positions")
    assert (missing.status_code, missing.json()) == (400, recorded["error_missing_access_token"])
    wrong = client.get(f"{base}/positions", headers={"Authorization": "Bearer breezy_pat_fake"})  # no scheme
    assert (wrong.status_code, wrong.json()) == (401, recorded["error_invalid_access_token"])
    cid = listed.json()[0]["_id"]
    stage = client.put(f"{base}/position/{pid}/candidate/{cid}/stage", headers=auth, json={})
    assert (stage.status_code, stage.json()) == (400, recorded["error_set_stage_missing_stage_id"])


@dataclass
class Breezy:
    fake: FakeState
    integration_id: str
    url: str


@pytest.fixture
def breezy(engine: Engine, settings: Settings, environment: str) -> Iterator[Breezy]:
    app = create_app(seed=3, records=30, rate_limit=None)
    with serve_asgi(app) as url:
        config = {"base_url": f"{url}/v3/company/{COMPANY}", "company_id": COMPANY, "requests_per_second": 5000,
                  "sync_all_applications": True}  # fmt: skip
        creds = {"email": FakeState.email, "password": FakeState.password}  # no token: sign in
        iid = create_integration(engine, settings, environment, "breezyhr", "Co", config=config, credentials=creds)
        try:
            yield Breezy(app.state.fake, iid, url)
        finally:
            retire(engine, iid)


def _requests(fake: FakeState, method: str, part: str) -> list[Any]:
    return [e for e in fake.log.entries() if e.method == method and part in e.path]


def test_sign_in_session_and_a_delta_that_stops_at_the_last_sync(
    engine: Engine, settings: Settings, breezy: Breezy
) -> None:
    fake, iid = breezy.fake, breezy.integration_id
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    auth = fake.auth
    assert isinstance(auth, BreezyAuth) and auth.signins == 1
    assert len(live(engine, iid, "applications")) == len(fake.candidates)
    before = snapshot(engine, iid, CONNECTOR.capabilities.models)
    moved, edited = sorted(fake.candidates)[:2]
    fake.set_stage(moved, "hired")
    fake.edit_candidate(edited, name="Grace Brewster Hopper")
    auth.expire_sessions()  # the session ran out: sign in again, once
    fake.log.clear()
    assert run(engine, settings, iid, full=False).status == "SUCCEEDED"
    assert auth.signins == 2
    listings = _requests(fake, "GET", "/candidates")
    assert {e.query for e in listings} == {"sort=updated_date&page=1&page_size=50"}  # one page per position
    app = f"{fake.position_of[moved]}:{moved}"
    changed = changed_rows(before, engine, iid)
    assert changed["applications"] == {app, f"{fake.position_of[edited]}:{edited}"}
    assert changed["candidates"] == {moved, edited}
    assert live(engine, iid, "applications")[app]["outcome"] == "HIRED"
    assert live(engine, iid, "candidates")[edited]["last_name"] == "Brewster Hopper"


def test_writes_move_reject_and_create_per_position(
    engine: Engine, settings: Settings, server: Server, breezy: Breezy
) -> None:
    fake, iid = breezy.fake, breezy.integration_id
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    with engine.begin() as conn:
        key = platform.create_api_key(conn, platform.get_integration(conn, iid).environment_id, "t")  # type: ignore[union-attr]
    k = Kombo(api_key=key, integration_id=iid, server_url=server.v1)
    apps = {a.remote_id: a for a in k.ats.get_applications(page_size=100).result.data.results}
    open_apps = [r for r in apps if fake.positions[r.split(":")[0]]["state"] == "published"]
    busy = ("offer", "hired", "disqualified")
    first, second = sorted(r for r in open_apps if fake.candidates[r.split(":")[1]]["stage"]["id"] not in busy)[:2]
    pid, cid = first.split(":")
    job = next(j for j in k.ats.get_jobs(page_size=100).result.data.results if j.remote_id == pid)
    offer = next(s for s in job.stages if s.remote_id == f"{pid}:offer")
    k.ats.move_application_to_stage(application_id=apps[first].id, stage_id=offer.id)
    assert fake.candidates[cid]["stage"]["id"] == "offer"
    assert live(engine, iid, "applications")[first]["current_stage_id"] == offer.id  # written through
    other_job = next(j for j in k.ats.get_jobs(page_size=100).result.data.results if j.remote_id != pid and j.stages)
    fake.log.clear()
    with pytest.raises(KomboAtsError):  # another position's stage: refused, nothing sent
        k.ats.move_application_to_stage(application_id=apps[first].id, stage_id=other_job.stages[0].id)
    assert _requests(fake, "PUT", "/stage") == []
    reason = k.ats.get_rejection_reasons().result.data.results[0]
    k.ats.reject_application(application_id=apps[second].id, rejection_reason_id=reason.id)
    assert fake.candidates[second.split(":")[1]]["stage"]["id"] == "disqualified"
    assert live(engine, iid, "applications")[second]["outcome"] == "DECLINED"  # written through
    email = f"ada.{uuid.uuid4().hex[:6]}@x.example"
    cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
    made = k.ats.create_application(job_id=job.id, candidate=cand, stage_id=offer.id).data
    new_pid, new_cid = made.remote_id.split(":")
    assert new_pid == pid and fake.candidates[new_cid]["email_address"] == email
    assert fake.candidates[new_cid]["stage"]["id"] == "offer" and fake.position_of[new_cid] == pid
    count = len(fake.candidates)
    with pytest.raises(KomboAtsError) as info:  # one candidate per position: the same email again is refused
        k.ats.create_application(job_id=job.id, candidate=cand)
    assert info.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS" and len(fake.candidates) == count


@pytest.mark.parametrize(("order", "pages"), [("newest first", 1), ("oldest first", 3)])
def test_the_delta_stops_only_on_a_page_seen_newest_first(order: str, pages: int) -> None:
    """The stop at the last sync relies on ``sort=updated_date`` being newest first [conn]: a listing in another
    order is read to its end (never a missed change)."""
    stamps = [f"2024-05-{day:02d}T00:00:00.000Z" for day in range(1, 11)]  # 10 candidates, 4 per page
    rows = [{"_id": f"c{i}", "name": "A B", "updated_date": t} for i, t in enumerate(stamps)]
    rows = rows[::-1] if order == "newest first" else rows
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path.endswith("/pipelines") or "/positions" in request.url.path:
            state = request.url.params.get("state")
            return httpx.Response(200, json=[{"_id": "p1", "pipeline_id": "pl"}] if state == "published" else [])
        page, size = int(request.url.params["page"]), int(request.url.params["page_size"])
        assert request.url.params["sort"] == "updated_date" and size == 4
        return httpx.Response(200, json=rows[(page - 1) * 4 : page * 4])

    api = kit.VendorApi(base_url=API.base_url, auth=API.auth,
                        pager=kit.PageNumber(param="page", size_param="page_size", page_size=4))  # fmt: skip
    info = IntegrationInfo("i1", "breezyhr", {"company_id": "c1"}, {"api_token": "breezy_pat_x"})
    source = kit.KitSource(api, api.client(info, httpx.MockTransport(handle)), {}, streams=kit.resolve(STREAMS))

    async def delta() -> list[str]:
        stream = next(s for s in source.streams.values() if s.name == "candidates")
        since = parse_ts("2024-05-08T00:00:00Z")
        return [r["_id"] async for page in source.read(stream, since) for r in page]

    assert sorted(asyncio.run(delta())) == ["c7", "c8", "c9"]
    assert sum(p.endswith("/candidates") for p in seen) == pages


#: A ``candidateStatusUpdated`` envelope as the "Webhook Events" page documents it (its field names; our values).
EVENT = {
    "_id": "evt0001", "type": "candidateStatusUpdated",
    "object": {
        "company": {"_id": COMPANY, "name": "Co", "friendly_id": "co"},
        "position": {"_id": "pos1", "name": "Engineer", "pipeline_id": "pl1", "all_admins": False,
                     "location": {"name": "Oakland, CA"}},
        "stage": {"id": "interviewing", "name": "Interviewing"}, "entered_stage": "2025-01-15T10:30:00.000Z",
        "candidate": {"_id": "cand1", "name": "Ada", "email_address": "ada@example.com", "phone_number": "",
                      "profile_photo_url": "", "tags": []},
        "acting_user": {"_id": "u1", "email_address": "admin@example.com", "name": "Admin", "profile_photo_url": ""},
    },
    "creation_date": "2025-01-15T10:30:00.000Z",
}  # fmt: skip


def test_webhook_signature_is_the_body_hmac_keyed_with_the_whole_whsec_secret() -> None:
    import hashlib
    import hmac

    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.registration == "api"
    secret = "whsec_c2VjcmV0LWtleS1ieS1icmVlenk"
    body = json.dumps(EVENT, separators=(",", ":")).encode()

    def signed(key: str, raw: bytes = body) -> dict[str, str]:
        return {"x-hook-signature": hmac.new(key.encode(), raw, hashlib.sha256).hexdigest()}

    hooks.verify(signed(secret), body, secret, 0.0)  # no timestamp is signed: any time is the same
    refusals = {
        "wrong secret": (signed("whsec_another"), body),
        "key without its whsec_ prefix": (signed(secret.removeprefix("whsec_")), body),
        "no signature": ({}, body),
        "another body": (signed(secret), body + b" "),
        "Standard Webhooks headers only": ({"webhook-id": "m", "webhook-signature": "v1,abc"}, body),
    }
    for name, (headers, raw) in refusals.items():
        with pytest.raises(kit.WebhookRefused):
            hooks.verify(headers, raw, secret, 0.0)
            pytest.fail(f"accepted: {name}")


def test_webhook_events_touch_candidates_or_positions_and_dedupe_on_the_envelope_id() -> None:
    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.delivery_id is not None
    assert [(t.stream, t.remote_id) for t in hooks.events(EVENT)] == [("candidates", "cand1")]
    added, deleted = ({**EVENT, "type": kind} for kind in ("candidateAdded", "candidateDeleted"))
    assert [t.stream for t in hooks.events(added)] == ["candidates"]
    assert [(t.stream, t.deleted) for t in hooks.events(deleted)] == [("candidates", True)]
    position = {"_id": "e2", "type": "companyPositionStateUpdated", "object": {"position": {"_id": "pos1"}}}
    assert [(t.stream, t.remote_id) for t in hooks.events(position)] == [("positions", None)]
    assert hooks.events({**EVENT, "type": "companyNotePosted"}) == []  # notes are not served
    assert hooks.events({"type": "somethingNew"}) == []
    with pytest.raises(ValueError):
        hooks.events(["not", "an", "object"])
    assert hooks.delivery_id({}, EVENT) == "evt0001"
    streams = {s.name for s in CONNECTOR.streams}
    touched = {t.stream for e in hooks.event_names for t in hooks.events({"type": e})}
    assert touched == {"candidates", "positions"} and touched <= streams


def test_webhooks_register_one_endpoint_with_breezys_secret_and_unregister_tolerates_gone_ones() -> None:
    hooks = CONNECTOR.webhooks
    assert hooks is not None and hooks.register is not None and hooks.unregister is not None
    register, unregister = hooks.register, hooks.unregister
    app = create_app(seed=3, records=6, rate_limit=None)
    fake: FakeState = app.state.fake
    with serve_asgi(app) as url:
        base = f"{url}/v3/company/{COMPANY}"
        info = IntegrationInfo("breezy-hooks", "breezyhr", {"base_url": base, "company_id": COMPANY,
                               "requests_per_second": 5000}, {"api_token": FakeState.token})  # fmt: skip

        async def at_breezy(call: Any) -> Any:
            source = CONNECTOR.open(info)
            try:
                return await call(source)
            finally:
                await source.aclose()

        made = asyncio.run(at_breezy(lambda s: register(s, "https://atsbridge.example/hook", "ours")))
        assert len(made.ids) == 1 and len(made.secrets) == 1 and made.secrets[0].startswith("whsec_")
        auth = {"Authorization": FakeState.token}
        listed = httpx.get(f"{base}/webhook_endpoints", headers=auth).json()["data"]
        assert [w["id"] for w in listed] == made.ids and set(listed[0]["events"]) == set(hooks.event_names)
        assert "secret" not in listed[0] and listed[0]["secret_prefix"] == "whsec_"
        assert [t.secret for t in fake.webhooks.registered()] == made.secrets
        assert httpx.delete(f"{base}/webhook_endpoints/{made.ids[0]}", headers=auth).status_code == 204
        asyncio.run(at_breezy(lambda s: unregister(s, made.ids)))  # already gone: not an error
        assert httpx.get(f"{base}/webhook_endpoints", headers=auth).json()["data"] == []
        assert fake.webhooks.targets == []
