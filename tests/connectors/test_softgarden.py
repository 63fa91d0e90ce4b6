"""Softgarden: the jobs-list mapper (epoch-ms dates, catalog ids kept), the channel in the URL with the client id
as Basic user and an empty password, and what the connector declares it cannot do. Sync is the contract suite's."""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime
from typing import Any

import httpx

from atsbridge.api.routes.tools import tool_coverage
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.softgarden import API, CONNECTOR
from atsbridge.connectors.softgarden.mappers import epoch_ms, map_job

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
    assert caps.models == {"jobs"} and not caps.actions
    coverage = tool_coverage("softgarden", "http://x")["coverage"]
    models = {m["id"]: m["coverage_status"] for m in coverage["read_models"]}
    actions = {a["id"]: a["coverage_status"] for a in coverage["write_actions"]}
    assert models["ats_jobs"] == "SUPPORTED" and models["ats_applications"] == "UNSUPPORTED"
    assert actions["ats_create_application"] == "UNSUPPORTED"
