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
