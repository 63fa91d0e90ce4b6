"""Carerix: golden mapper tests on the documented GraphQL shapes (no read answer was ever recorded), the
customer-defined match statuses (outcome rule + status map), Amsterdam-local dates and qualifiers, the recorded
REST/XML attachment request (the connector writes that shape; the fake takes it), and the REST writes'
create-once through the SDK."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.carerix import actions
from atsbridge.connectors.carerix import mappers as m
from atsbridge.connectors.carerix.api import API
from atsbridge.connectors.carerix.streams import modified_since
from atsbridge.connectors.http.auth import OAuth2
from atsbridge.core.config import Settings
from atsbridge.fakes.carerix import FakeState
from atsbridge.fakes.carerix.state import matcher
from tests.conftest import Server
from tests.connectors.writes_helper import created_after_stall, new_email
from tests.contract.harness import live

CTX = MapContext("carerix:golden")
PAYLOADS = Path(__file__).parents[2] / "src/atsbridge/fakes/carerix/payloads"
#: The documented GraphQL match shape [conn] (``statusInfo{value, code, displayName}``) and REST dates [doc].
MATCH = {"_id": "501", "matchID": 501, "toEmployee": {"_id": "301"}, "toVacancy": {"_id": "201"},
         "toPublication": {"_id": "77"}, "toStatusNode": {"_id": "105", "value": "4.1 Afgewezen door klant"},
         "statusInfo": {"value": "4.1 Afgewezen door klant", "code": "4.1", "displayName": "4.1 Afgewezen door klant"},
         "additionalInfo": None, "creationDate": "2026-01-05 09:00:00 +0100",
         "modificationDate": "2026-07-01 14:00:00"}  # fmt: skip


def _outcome(ctx: MapContext, label: str, code: str = "x") -> str:
    (app,) = m.map_match({**MATCH, "statusInfo": {"value": label, "code": code, "displayName": label}}, ctx)
    return str(app.fields["outcome"])


def test_match_maps_with_amsterdam_dates_and_refs() -> None:
    (app,) = m.map_match(MATCH, CTX)
    assert app.fields["candidate_id"] == CTX.ref("candidates", "301") and app.fields["job_id"] == CTX.ref("jobs", "201")
    assert app.fields["current_stage_id"] == CTX.ref("application_stages", "105")
    assert app.fields["remote_created_at"] == "2026-01-05T08:00:00.000Z"  # +0100 in winter
    assert app.fields["remote_updated_at"] == "2026-07-01T12:00:00.000Z"  # no offset: Amsterdam summer time
    assert app.fields["outcome"] == "DECLINED" and app.fields["rejected_at"] == "2026-07-01T12:00:00.000Z"
    assert app.fields["custom_fields"]["publication_id"] == "77"


def test_statuses_are_the_customers_and_the_status_map_decides_first() -> None:
    assert _outcome(CTX, "6.0 Geplaatst") == "HIRED"
    assert _outcome(CTX, "Afgemeld door kandidaat") == "DECLINED"
    assert _outcome(CTX, "5.0 aanbod") == "PENDING"
    custom = MapContext("carerix:golden", status_map={"5.0 aanbod": "HIRED", "4.1": "PENDING"})
    assert _outcome(custom, "5.0 aanbod") == "HIRED"  # by label
    assert _outcome(custom, "4.1 Afgewezen door klant", code="4.1") == "PENDING"  # by code
    assert _outcome(custom, "6.0 Geplaatst") == "HIRED"


def test_other_records_map() -> None:
    (stage,) = m.map_status({"_id": "105", "value": "4.1 Afgewezen", "code": "4.1", "isActive": True}, CTX)
    assert stage.fields["name"] == "4.1 Afgewezen" and stage.fields["index"] == 41
    note = {"_id": "9", "notes": "Gebeld", "subject": "Intake", "toMatch": {"_id": "501"}, "toEmployee": None}
    assert list(m.map_note(note, CTX)) == []  # a unified note needs its candidate
    (kept,) = m.map_note({**note, "toEmployee": {"_id": "301"}}, CTX)
    assert kept.fields["application_id"] == CTX.ref("applications", "501") and kept.fields["title"] == "Intake"
    att = {"_id": "8", "label": "labeltext", "filePath": "C:\\temp\\CV.doc", "toEmployee": {"_id": "301"},
           "toTypeNode": {"_id": "1461", "value": "CV"}}  # fmt: skip
    (file,) = m.map_attachment(att, CTX)
    assert (file.fields["file_name"], file.fields["type"]) == ("CV.doc", "CV")
    (job,) = m.map_vacancy({"_id": "201", "jobTitle": " Monteur ", "isClosed": True, "hoursPerWeek": 32}, CTX)
    assert (job.fields["name"], job.fields["status"], job.fields["weekly_hours"]) == ("Monteur", "CLOSED", 32.0)


def test_the_delta_qualifier_is_amsterdam_wall_clock() -> None:
    summer, winter = datetime(2026, 7, 1, 12, 0, tzinfo=UTC), datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert modified_since(summer) == "modificationDate >= (NSCalendarDate) '2026-07-01 14:00:00'"
    assert modified_since(winter) == "modificationDate >= (NSCalendarDate) '2026-01-01 13:00:00'"
    assert actions.quoted("o'neil@x.nl") == "'o\\'neil@x.nl'"


def _tree(element: ET.Element, prefix: str = "") -> set[str]:
    path = f"{prefix}/{element.tag}" + "".join(f"@{k}" for k in sorted(element.attrib))
    return {path}.union(*(_tree(child, path) for child in element))


def test_the_attachment_write_has_the_recorded_shape_and_the_fake_takes_it() -> None:
    recorded = (PAYLOADS / "rest_CREmployee_add_attachment.request.xml").read_bytes()
    ours = actions.document("CREmployee", {"attachments": [{
        "Entity": "CRAttachment", "label": "labeltext", "toTypeNode": actions.Ref("CRDataNode", "1461"),
        "filePath": "C:\\temp\\CV.doc", "toAttachmentData": {"CRAttachmentData": {"content": "Q1Y="}}}]})  # fmt: skip
    assert _tree(ET.fromstring(ours)) == _tree(ET.fromstring(recorded))
    fake = FakeState.generate(1, 10, None)
    employee = next(iter(fake.employees))
    real = recorded.replace(b"... base-64 encoded data ...", base64.b64encode(b"my cv"))
    assert fake.rest_write("CREmployee", employee, real) == employee
    made = max(fake.attachments, key=int)
    assert fake.attachments[made]["fileName"] == "CV.doc" and fake.files[made] == b"my cv"
    assert fake.attachments[made]["toTypeNode"]["_id"] == "1461"
    assert actions.created_id(b'<CRMatch id="12"><_id>12</_id></CRMatch>', "CRMatch") == "12"


def upload(name: str, content: bytes) -> dict[str, Any]:
    return {"name": name, "type": "CV", "content_type": "application/pdf", "data": base64.b64encode(content).decode()}


def test_delta_lists_by_modification_date_and_writes_go_to_rest_once(
    engine: Engine, settings: Settings, server: Server
) -> None:
    fake = FakeState.generate(3, 30, None)
    with live("carerix", engine, settings, server.v1, config={"timeout_seconds": 1.0}, state=fake) as v:
        assert v.sync(full=True).status == "SUCCEEDED"
        fake.log.clear()
        assert v.sync().status == "SUCCEEDED"
        sent = [orjson.loads(e.body) for e in fake.log.entries() if e.path.endswith("/graphql")]
        matches = [b["variables"] for b in sent if "crMatchPage" in b["query"]]
        assert matches and matches[0]["qualifier"].startswith("modificationDate >= (NSCalendarDate) '")
        assert not [mid for mid, row in fake.matches.items() if matcher(matches[0]["qualifier"])(row)]  # no change
        changed = {c["remote_id"] for c in v.simulate(6, seed=4) if c["resource"] == "matches"}
        fake.log.clear()
        assert changed and v.sync().status == "SUCCEEDED"
        sent = [orjson.loads(e.body) for e in fake.log.entries() if e.path.endswith("/graphql")]
        (qualifier,) = {b["variables"]["qualifier"] for b in sent if "crMatchPage" in b["query"]}
        listed = {mid for mid, row in fake.matches.items() if matcher(qualifier)(row)}
        assert changed <= listed and len(listed) < len(fake.matches)  # the delta lists the changes, not all
        users = [b["variables"] for b in sent if "crUserPage" in b["query"]]
        assert all("qualifier" not in u for u in users)  # users have no delta filter: listed in full

        k = v.sdk()
        jobs = k.ats.get_jobs(page_size=50).result.data.results
        email = new_email()
        cand = {"first_name": "Ada", "last_name": "Lovelace", "email_address": email}
        again = created_after_stall(v, jobs[0].id, cand, {"path": "/CRMatch"})
        mine = [mid for mid, row in fake.matches.items()
                if fake.employees[row["toEmployee"]["_id"]]["emailAddress"] == email]  # fmt: skip
        assert mine == [again.remote_id] and again.candidate is not None
        other = k.ats.create_application(job_id=jobs[1].id, candidate=cand, attachments=[upload("cv.pdf", b"%PDF")])
        assert other.data.candidate is not None and other.data.candidate.remote_id == again.candidate.remote_id
        assert sum(e["emailAddress"] == email for e in fake.employees.values()) == 1
        assert any(a["fileName"] == "cv.pdf" for a in fake.attachments.values())

        stage = next(s for s in jobs[0].stages if s.name == "6.0 Geplaatst")
        moved = k.ats.move_application_to_stage(application_id=again.id, stage_id=stage.id)
        assert moved.warnings == [] and fake.matches[again.remote_id]["statusInfo"]["code"] == "6.0"
        apps = k.ats.get_applications(page_size=250).result.data.results
        assert next(a for a in apps if a.id == again.id).outcome == "HIRED"
        rest = [e for e in fake.log.writes() if not e.path.endswith(("/graphql", "/token"))]
        assert all(e.body.startswith(b"<?xml") for e in rest)  # every REST write is an XML document
        extra = k.ats.add_application_attachment(application_id=again.id, attachment=upload("extra.pdf", b"%PDF-2"))
        assert [w.message for w in extra.warnings] == [
            "Carerix files belong to the candidate: the file was attached to the application's candidate"
        ]
        (att,) = [a for a in fake.attachments.values() if a["fileName"] == "extra.pdf"]
        assert att["toEmployee"]["_id"] == again.candidate.remote_id and att["label"] == "CV"
        with pytest.raises(KomboAtsError) as info:
            k.ats.reject_application(application_id=again.id, rejection_reason_id="x")
        assert info.value.data.error.code == "INTEGRATION.ACTION_NOT_AVAILABLE"


def test_the_token_url_is_the_tenants_realm() -> None:
    def token_url(config: dict[str, Any]) -> str:
        info = IntegrationInfo("i", "carerix", config, {"client_id": "c", "client_secret": "s"})
        auth = API.auth.build(info, API.base_url, None)
        assert isinstance(auth, OAuth2) and auth.extra == {"scope": "urn:cx/cx5Wrapper:data:manage"}
        return auth.token_url

    realm = token_url({"identity_host": "id-s2", "realm": "confair"})
    assert realm == "https://id-s2.carerix.io/auth/realms/confair/protocol/openid-connect/token"
    assert token_url({"identity_host": "evil.example/x?", "realm": "acme"}).startswith("https://invalid.carerix.io/")
    assert token_url({"token_url": "http://127.0.0.1:1/t", "realm": "acme"}) == "http://127.0.0.1:1/t"
