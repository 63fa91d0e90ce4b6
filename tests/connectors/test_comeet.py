"""Comeet: the position mapper on the documented Careers position model, the company UID in the URL and the
token in the query, and what the connector declares it cannot do. Sync behaviour is the contract suite's."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from atsbridge.api.routes.tools import tool_coverage
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.comeet import API, CONNECTOR
from atsbridge.connectors.comeet.mappers import map_position
from atsbridge.connectors.matrix import markdown

#: The documented Careers position model (developers.comeet.com "Careers position model"), every field set.
POSITION: dict[str, Any] = {
    "uid": "30.00A", "name": "Senior Backend Engineer", "department": "R&D", "email": "jobs+30@acme.comeet.co",
    "url_comeet_hosted_page": "https://www.comeet.com/jobs/acme/89.002/30.00A",
    "url_active_page": "https://acme.example/careers?comeet_pid=30.00A", "employment_type": "Full-time",
    "experience_level": "Senior", "workplace_type": "Hybrid", "internal_use_custom_id": "REQ-7",
    "picture_url": None, "time_updated": "2024-05-02T10:21:11Z", "company_name": "Acme",
    "position_url": "https://www.comeet.co/careers-api/2.0/company/89.002/positions/30.00A",
    "location": {"name": "HQ", "country": "IL", "city": "Tel Aviv", "state": None, "postal_code": "6789",
                 "street_name": "Rothschild", "street_number": "22", "timezone": "Asia/Jerusalem",
                 "arrival_instructions": None, "is_remote": False},
    "categories": [{"name": "Team", "value": "Platform", "order": 1}],
    "details": [{"name": "Requirements", "value": "<ul><li>Go</li></ul>", "order": 2},
                {"name": "Description", "value": "<p>Build it.</p>", "order": 1}],
}  # fmt: skip


def test_a_published_position_is_an_open_public_job_with_its_posting() -> None:
    [job] = list(map_position(POSITION, MapContext("comeet:t")))
    f = job.fields
    assert (f["name"], f["job_code"], f["status"], f["visibility"]) == ("Senior Backend Engineer", "REQ-7", "OPEN",
                                                                        "PUBLIC")  # fmt: skip
    assert f["description"] == "<h3>Description</h3><p>Build it.</p><h3>Requirements</h3><ul><li>Go</li></ul>"
    assert (f["employment_type"], f["remote_work_status"]) == ("FULL_TIME", "HYBRID")
    assert f["location"] == {"raw": "HQ", "city": "Tel Aviv", "state": None, "country": "IL", "zip_code": "6789",
                             "street_1": "Rothschild 22", "street_2": None}  # fmt: skip
    assert f["post_url"] == POSITION["url_active_page"] and f["custom_fields"]["Team"] == "Platform"
    assert [p["url"] for p in job.nested["job_postings"]] == [POSITION["url_active_page"]]
    odd = {**POSITION, "employment_type": "Per diem", "workplace_type": "Flexible", "details": None}
    [other] = list(map_position(odd, MapContext("comeet:t")))
    assert (other.fields["employment_type"], other.fields["remote_work_status"]) == ("Per diem", "Flexible")
    assert other.fields["description"] is None


def test_the_company_uid_names_the_url_and_the_token_rides_in_the_query() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json=[])

    def get(config: dict[str, Any]) -> None:
        info = IntegrationInfo("comeet:t", "comeet", config, {"token": "s3cret"})
        client = API.client(info, httpx.MockTransport(handler))
        asyncio.run(client.request("GET", "/positions"))

    get({"company_uid": "89.002"})
    get({"company_uid": "../evil.example/x"})
    assert str(seen[0]) == "https://www.comeet.co/careers-api/2.0/company/89.002/positions?token=s3cret"
    assert seen[1].path == "/careers-api/2.0/company/invalid/positions" and seen[1].host == "www.comeet.co"


def test_what_comeet_cannot_serve_is_said_with_the_reason() -> None:
    caps = CONNECTOR.capabilities
    assert caps.models == {"jobs"} and not caps.actions
    coverage = tool_coverage("comeet", "http://x")["coverage"]
    models = {m["id"]: m["coverage_status"] for m in coverage["read_models"]}
    actions = {a["id"]: a["coverage_status"] for a in coverage["write_actions"]}
    assert models["ats_jobs"] == "SUPPORTED" and models["ats_candidates"] == "UNSUPPORTED"
    assert actions["ats_create_application"] == "UNSUPPORTED"
    assert actions["ats_add_application_note"] == "NOT_IMPLEMENTED"
    assert "- **Comeet**, cands, apps, stages" in markdown() and "partner-gated" in markdown()


# ------------------------------------------------------------------------------------------------ webhooks
#: The documented "Create an employee" body (developers.comeet.com "Hires API" candidate model), trimmed.
HIRE: dict[str, Any] = {
    "comeet_id": "8C.2F1", "person_uid": "A1.B2C", "first_name": "Dana", "last_name": "Levi",
    "email": "dana@example.com", "time_created": "2024-05-02T10:21:11Z", "source": None,
    "resume": {"name": "cv.pdf", "url": "https://comeet.example/cv"}, "links": [], "files": [],
    "position": {"comeet_id": "30.00A", "name": "Senior Backend Engineer", "public_name": None,
                 "department": "R&D", "position_id": "REQ-7", "location": "Tel Aviv"},
}  # fmt: skip


def _signed(raw: bytes, key: str = "whsec-comeet") -> dict[str, str]:
    import hashlib
    import hmac

    return {"signature": "sha256 " + hmac.new(key.encode(), raw, hashlib.sha256).hexdigest()}


def test_position_events_touch_jobs_and_hires_touch_nothing_stored() -> None:
    import pytest

    from atsbridge.connectors.comeet.webhooks import WEBHOOKS

    # POST (created), PUT (updated) and DELETE (deleted) all carry the position model: the method is not needed
    assert [(t.stream, t.remote_id) for t in WEBHOOKS.events(POSITION)] == [("positions", "30.00A")]
    assert [t.stream for t in WEBHOOKS.events({"uid": "30.00B"})] == ["positions"]  # a bare deletion body
    assert {t.stream for t in WEBHOOKS.events(POSITION)} <= {s.name for s in CONNECTOR.streams}
    assert list(WEBHOOKS.events(HIRE)) == []  # careers-only: no stream holds candidates
    for bad in ([POSITION], {"uid": ""}, {"name": "no id"}, "30.00A"):
        with pytest.raises(ValueError):
            WEBHOOKS.events(bad)
    assert WEBHOOKS.registration == "manual" and WEBHOOKS.delivery_id is None and "support" in WEBHOOKS.instructions


def test_the_signature_header_is_sha256_space_hex_hmac_of_the_raw_body() -> None:
    import orjson
    import pytest

    from atsbridge.connectors.comeet.webhooks import WEBHOOKS
    from atsbridge.connectors.kit import WebhookRefused

    raw = orjson.dumps(POSITION)
    WEBHOOKS.verify(_signed(raw), raw, "whsec-comeet", 0.0)
    bare = _signed(raw)["signature"].removeprefix("sha256 ")
    refusals = {
        "wrong secret": (_signed(raw, "other-secret"), raw),
        "tampered body": (_signed(raw), raw.replace(b"30.00A", b"30.00B")),
        "unsigned (no Secret Key defined in Comeet)": ({}, raw),
        "no 'sha256 ' prefix": ({"signature": bare}, raw),
        "another scheme's prefix": ({"signature": "sha256=" + bare}, raw),
    }
    for name, (headers, body) in refusals.items():
        with pytest.raises(WebhookRefused):
            WEBHOOKS.verify(headers, body, "whsec-comeet", 0.0)
            pytest.fail(name)


def test_the_fake_pushes_the_whole_position_with_the_method_as_the_event() -> None:
    import random

    import orjson

    from atsbridge.connectors.comeet.webhooks import WEBHOOKS as RECEIVER
    from atsbridge.fakes.comeet import HOOKS, FakeState

    fake, style = FakeState.generate(seed=3, records=20), HOOKS.webhooks
    rnd, seen = random.Random(5), {}
    for _ in range(40):
        change = HOOKS.simulate(fake, rnd)
        if change is None:
            continue
        body = style.body(change)
        assert body is not None and body["uid"] == change.remote_id and body["name"] and "details" in body
        raw = orjson.dumps(body)
        RECEIVER.verify({k.lower(): v for k, v in style.sign(raw, "k3y-k3y!").items()}, raw, "k3y-k3y!", 0.0)
        assert [t.remote_id for t in RECEIVER.events(body)] == [change.remote_id]
        seen[change.kind] = style.method(change)
        if change.kind == "deleted":
            assert change.remote_id not in fake.positions  # the position as it was, sent after it left
    assert seen == {"created": "POST", "updated": "PUT", "deleted": "DELETE"}
