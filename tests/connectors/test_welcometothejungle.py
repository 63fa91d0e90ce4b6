"""Welcome to the Jungle: golden mapper tests on the documentation examples (unchanged, in the fake's
``payloads/``), and the vendor's quirks: per-job candidate listing with a date-only ``updated_after``,
``X-Total-Pages`` paging, outcomes by stage reference and the customer's status map, and writes that move into
the job's own ``initial``/``refused`` stages and replace whole tag lists. Shared behaviour is the contract
suite's."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from kombo import Kombo
from kombo.errors import KomboAtsError
from sqlalchemy import Engine

from atsbridge.connect.service import create_integration
from atsbridge.connectors.base import MapContext
from atsbridge.connectors.welcometothejungle import mappers as m
from atsbridge.connectors.welcometothejungle.streams import updated_after
from atsbridge.core.config import Settings
from atsbridge.core.ids import record_id
from atsbridge.fakes.welcometothejungle import FakeState, create_app
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server, payloads
from tests.connectors.test_bamboohr import live, retire, run

PAY = payloads("welcometothejungle")
CTX = MapContext("wttj:golden")
#: The three stages the "Retrieve a job" example shows (its list is elided with ``...``: not valid JSON).
DOC_STAGES = [
    {"visible": True, "reference": "initial", "id": 5395, "name": "Nouveau", "candidates_count": 4},
    {"reference": "refused", "visible": True, "id": 5396, "name": "Refusé", "candidates_count": 2},
    {"id": 5397, "name": "À rencontrer", "reference": None, "visible": True, "candidates_count": 1},
]


def load(name: str) -> Any:
    return json.loads((PAY / name).read_text())


def test_jobs_map_with_their_stages() -> None:
    first, second = load("jobs_list.json")
    job, *stages = m.map_job({**first, "_detail": {**first, "stages": DOC_STAGES}}, CTX)
    f = job.fields
    assert (job.remote_id, f["name"], f["job_code"], f["status"]) == ("WTTJ_gld0A7L", "Fake Job 1",
                                                                       "PROVIDER_REFERENCE1", "DRAFT")  # fmt: skip
    assert (f["employment_type"], f["remote_work_status"], f["salary_amount_from"], f["salary_period"]) == (
        "FULL_TIME", "ON_SITE", 30000.0, "YEAR")  # fmt: skip
    assert f["custom_fields"]["cms_sites_references"] == ["wttj_fr"] and f["opened_at"] is not None
    assert [(s.remote_id, s.fields["name"], s.fields["index"]) for s in stages] == [
        ("5395", "Nouveau", 0), ("5396", "Refusé", 1), ("5397", "À rencontrer", 2)]  # fmt: skip
    assert stages[0].fields["job_id"] == record_id(CTX.integration_id, "jobs", "WTTJ_gld0A7L")
    assert (f["department"], f["location"]) == (None, None)  # nothing attached
    office = load("offices_list.json")[0]
    (other,) = m.map_job({**second, "_office": office, "_department": load("departments_list.json")[0]}, CTX)
    assert {k: v for k, v in other.fields["location"].items() if v} == {
        "street_1": "11 bis rue Bachaumont", "city": "Paris", "zip_code": "75002", "country": "FR"}  # fmt: skip
    assert other.fields["department"] == "Tech"
    # no detail: no stages; "language" is absent in the example
    assert other.fields["custom_fields"]["cms_sites_references"] == ["wttj_fr", "smgo_fr", "btbw_fr"]
    assert other.fields["remote_work_status"] == "REMOTE" and other.fields["custom_fields"]["language"] is None


def test_a_candidate_is_a_candidate_and_its_application() -> None:
    cand, app, cv, portfolio = m.map_candidate(load("candidate_single.json"), CTX)
    assert cand.remote_id == app.remote_id == "wttj-d655345409a6097309156b05"
    assert (cv.remote_id, cv.fields["type"], cv.fields["file_name"], portfolio.fields["type"]) == (
        f"{cand.remote_id}:resume", "CV", "resume.pdf", "OTHER")  # fmt: skip
    assert cv.fields["application_id"] == record_id(CTX.integration_id, "applications", cand.remote_id)
    assert "http://cdn.com/resume.pdf" not in str(cand.fields)  # file URLs may be signed: never hashed
    assert (cand.fields["first_name"], cand.fields["email_addresses"]) == (
        "Foo", [{"email_address": "test@example.com", "type": None}])  # fmt: skip
    assert cand.fields["remote_url"] == f"{m.APP_URL}/dashboard/o/Pg4eV6k/jobs/WTTJ_KmqkD1Y/card/{cand.remote_id}"
    assert cand.nested["tag_ids"] == [record_id(CTX.integration_id, "tags", t) for t in
                                      ("ruby", "react", "go", "elixir", "react native")]  # fmt: skip
    assert (app.fields["outcome"], app.fields["rejection_reason_name"]) == ("DECLINED", "Refusé")
    assert app.fields["current_stage_id"] == record_id(CTX.integration_id, "application_stages", "14600")
    assert app.fields["job_id"] == record_id(CTX.integration_id, "jobs", "WTTJ_KmqkD1Y")
    # the create answer carries no stage object (only stage_id) and no tags
    cand, app, *_files = m.map_candidate(load("candidate_create.response.json"), CTX)
    assert app.fields["outcome"] == "PENDING" and cand.nested["tag_ids"] == []
    assert app.fields["current_stage_id"] == record_id(CTX.integration_id, "application_stages", "14600")


def test_outcomes_by_stage_reference_then_the_customers_map() -> None:
    raw = load("candidate_single.json")
    hired = {**raw, "stage": {"id": 7, "name": "Embauché", "reference": "hired"}}
    named = {**raw, "stage": {"id": 8, "name": "Offre signée", "reference": None}}
    hidden = {**raw, "stage": {"id": 14758, "name": "Archived", "reference": "archived", "visible": False}}
    assert [m.outcome(r)[0] for r in (hired, named, hidden)] == ["HIRED", "PENDING", "DECLINED"]
    assert m.outcome({**named, "archived": True}) == ("DECLINED", "Offre signée")  # archived while pending
    ctx = MapContext("wttj:mapped", status_map={"offre signée": "HIRED", "9": "DECLINED"})
    assert m.outcome(named, ctx)[0] == "HIRED"
    by_id = {**raw, "stage": {"id": 9, "name": "Vivier", "reference": None}}
    assert m.outcome(by_id, ctx) == ("DECLINED", "Vivier") and m.outcome(raw, ctx)[0] == "DECLINED"


def test_updated_after_is_a_date_one_day_early() -> None:
    assert updated_after(datetime(2026, 3, 1, 0, 30, tzinfo=UTC)) == "2026-02-28"


@dataclass
class Wttj:
    fake: FakeState
    integration_id: str
    kombo: Kombo
    server: str


@pytest.fixture
def wttj(engine: Engine, settings: Settings, environment: str, server: Server) -> Iterator[Wttj]:
    app = create_app(seed=5, records=24, rate_limit=None)
    with serve_asgi(app) as url:
        config = {"base_url": f"{url}/api/v1/external", "organization_reference": "Pg4eV6k",
                  "requests_per_second": 5000, "sync_all_applications": True}  # fmt: skip
        iid = create_integration(engine, settings, environment, "welcometothejungle", "Org", config=config,
                                 credentials={"api_key": "wttj_token"})  # fmt: skip
        with engine.begin() as conn:
            key = platform.create_api_key(conn, environment, "t")
        try:
            yield Wttj(app.state.fake, iid, Kombo(api_key=key, integration_id=iid, server_url=server.v1), server.url)
        finally:
            retire(engine, iid)


def _queries(fake: FakeState, path: str) -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(t).query) for t in fake.log.targets() if urlsplit(t).path.endswith(path)]


def test_candidates_are_listed_per_job_and_paged_by_header(engine: Engine, settings: Settings, wttj: Wttj) -> None:
    fake, iid = wttj.fake, wttj.integration_id
    fake.page_cap = 2  # forces X-Total-Pages > 1
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    jobs = _queries(fake, "/jobs")
    assert jobs and all(q["organization_reference"] == ["Pg4eV6k"] for q in jobs)
    listed = _queries(fake, "/candidates")
    assert {q["job_reference"][0] for q in listed} == set(fake.jobs)  # archived and draft jobs too
    assert all("updated_after" not in q and q["stage"] == ["true"] for q in listed)
    per_job = Counter(c["job_reference"] for c in fake.candidates.values())
    # the last page is the one X-Total-Pages names: no extra empty page after a full one
    assert len(listed) == sum(max(1, -(-per_job[j] // 2)) for j in fake.jobs)
    assert set(live(engine, iid, "applications")) == set(fake.candidates)
    fake.log.clear()
    ref = next(iter(fake.candidates))
    fake.update(ref, {"job_stage_id": fake.stage(fake.candidates[ref]["job_reference"], reference="hired")["id"]})
    assert run(engine, settings, iid, full=False).status == "SUCCEEDED"
    dates = {q["updated_after"][0] for q in _queries(fake, "/candidates")}
    assert len(dates) == 1 and dates.pop() < datetime.now(UTC).date().isoformat()
    assert live(engine, iid, "applications")[ref]["outcome"] == "HIRED"


def test_writes_use_the_jobs_own_stages_and_replace_tags(engine: Engine, settings: Settings, wttj: Wttj) -> None:
    fake, iid, k = wttj.fake, wttj.integration_id, wttj.kombo
    assert run(engine, settings, iid, full=True).status == "SUCCEEDED"
    job_ref = next(r for r, j in fake.jobs.items() if j["status"] == "published")
    email = f"ada.{uuid.uuid4().hex[:6]}@x.example"
    cv = {"name": "cv.pdf", "type": "CV", "data_url": f"{wttj.server}/"}  # a public URL: WTTJ downloads it
    made = k.ats.create_application(job_id=f"remote:{job_ref}", attachments=[cv],
                                    candidate={"first_name": "Ada", "last_name": "L", "email_address": email,
                                               "social_links": [{"url": "https://www.linkedin.com/in/ada"}]}).data
    vendor = fake.candidates[made.remote_id]
    assert vendor["stage"]["reference"] == "initial" and vendor["resume_url"] == f"{wttj.server}/"
    posted = json.loads(next(e.body for e in fake.log.writes() if e.path.endswith("/candidates")))
    assert posted["media_linkedin"] == "https://www.linkedin.com/in/ada"
    assert posted["organization_reference"] == "Pg4eV6k"
    with pytest.raises(KomboAtsError) as info:  # the same email on the same job
        k.ats.create_application(job_id=f"remote:{job_ref}", candidate={"first_name": "A", "last_name": "L",
                                                                         "email_address": email})  # fmt: skip
    assert info.value.data.error.code == "ATS.APPLICATION_ALREADY_EXISTS"
    app_id = record_id(iid, "applications", made.remote_id)
    reason = k.ats.get_rejection_reasons().result.data.results[0]
    k.ats.reject_application(application_id=app_id, rejection_reason_id=reason.id, note="Not now")
    assert fake.candidates[made.remote_id]["stage"]["reference"] == "refused"
    assert [c["raw_content"] for c in fake.comments.values()] == ["Not now"]
    assert live(engine, iid, "applications")[made.remote_id]["outcome"] == "DECLINED"
    cand_id = record_id(iid, "candidates", made.remote_id)
    before = list(fake.candidates[made.remote_id]["tags"])
    k.ats.add_candidate_tag(candidate_id=cand_id, tag={"name": "Shortlist"})
    assert fake.candidates[made.remote_id]["tags"] == [*before, "Shortlist"]
    k.ats.remove_candidate_tag(candidate_id=cand_id, tag={"name": "shortlist"})
    assert fake.candidates[made.remote_id]["tags"] == before
    writes = len(fake.log.writes())
    with pytest.raises(KomboAtsError) as info:
        k.ats.add_candidate_tag(candidate_id=cand_id, tag={"name": "a,b"})
    assert "commas" in (info.value.data.error.message or "") and len(fake.log.writes()) == writes
