"""Flatchr: golden mapper tests on the recorded careers listing (its ``vacancy``) and the [conn] search row,
then the vendor's own quirks: two vacancy ids and column titles resolved through lookups, the customer's
column names deciding refusals, the careers-host apply (token in the body, read back by e-mail, created once),
moves by column id, and rejection as a refused column or an archive. Shared behaviour is the contract suite's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.connectors.flatchr import CONNECTOR, STREAMS
from atsbridge.connectors.flatchr import mappers as m
from atsbridge.connectors.flatchr.api import API, careers_url
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.core.ids import record_id
from atsbridge.fakes.flatchr import conformance_setup, create_app
from atsbridge.fakes.flatchr.state import API_KEY, COMPANY, FakeState
from atsbridge.model import write_bodies as bodies
from tests.conftest import payloads
from tests.connectors.writes_helper import Action, run_action

Raw = dict[str, Any]
CTX = MapContext("flatchr:golden")
LISTING = json.loads((payloads("flatchr") / "careers_company_active_listings.json").read_text())["items"][0]
#: One row of ``POST /search/applicants`` as HrFlow's client types it [conn], with what the stream attaches.
ROW = {"applicant": "aB3", "vacancy": "Account Executive SaaS H/F", "column": "Entretien RH", "vacancy_id": 84512,
       "external_id": None, "status": 1, "score": 3, "hired": False, "firstname": "Léa", "lastname": "Dubois",
       "email": "lea@x.example", "phone": "+33 6 12", "created_at": "2024-03-01T10:00:00.000Z", "source": "Indeed",
       "_column": {"id": 13133, "title": "Entretien RH"},
       "_vacancy": {"id": "z7gXQnjq6gdJRakA", "slug": "z7gwqnja6gdjraka-account-executive-saas-h-f"}}  # fmt: skip


def ref(model: str, remote_id: str) -> str:
    return record_id(CTX.integration_id, model, remote_id)


def test_recorded_listing_vacancy_maps_to_a_job_by_its_hash_id() -> None:
    (job,) = m.map_vacancy(LISTING["vacancy"], CTX)
    assert job.remote_id == "z7gXQnjq6gdJRakA"  # the hash id write paths take, not vacancy_id 84512
    assert (job.fields["name"], job.fields["job_code"], job.fields["status"]) == (
        "Account Executive SaaS H/F", "CDI-SALES-EXEC-Dec 2021", "OPEN")  # fmt: skip
    assert job.fields["salary_amount_from"] is None  # "0" is "no salary"
    assert job.fields["custom_fields"]["vacancy_id"] == 84512 and job.fields["custom_fields"]["language"] == "fr_FR"
    assert m.vacancy_entry(LISTING["vacancy"]) == {"id": "z7gXQnjq6gdJRakA", "title": "Account Executive SaaS H/F",
                                                   "slug": "z7gwqnja6gdjraka-account-executive-saas-h-f"}  # fmt: skip


def test_search_row_is_one_candidate_and_one_application_with_resolved_ids() -> None:
    cand, app = m.map_applicant(ROW, CTX)
    assert cand.remote_id == "aB3" and cand.fields["source"] == "Indeed"
    assert cand.fields["email_addresses"] == [{"email_address": "lea@x.example", "type": None}]
    assert app.remote_id == "84512:aB3"  # the vacancy travels in the id: writes need it
    assert app.fields["job_id"] == ref("jobs", "z7gXQnjq6gdJRakA")
    assert app.fields["current_stage_id"] == ref("application_stages", "13133")
    assert app.fields["candidate_id"] == ref("candidates", "aB3") and app.fields["outcome"] == "PENDING"
    bare = {k: v for k, v in ROW.items() if not k.startswith("_")} | {"created_at": "03/01/24"}
    _, orphan = m.map_applicant(bare, CTX)  # a vacancy or column no longer listed, an odd date: no crash
    assert orphan.fields["job_id"] is None and orphan.fields["remote_created_at"] is None


def test_hired_flag_then_the_customers_column_names_decide() -> None:
    def outcome(ctx: MapContext, **changes: object) -> str:
        return str(list(m.map_applicant({**ROW, **changes}, ctx))[1].fields["outcome"])

    assert outcome(CTX, hired=True) == "HIRED"
    assert outcome(CTX, column="Refusé") == "DECLINED" and outcome(CTX, column="Entretien RH") == "PENDING"
    custom = MapContext("flatchr:golden", status_map={"pas retenu": "DECLINED", "refusé": "PENDING"})
    assert outcome(custom, column="Pas retenu") == "DECLINED" and outcome(custom, column="Refusé") == "PENDING"


# ------------------------------------------------------------------------------------------------ writes


def run(fake: FakeState, action: Action, **config: Any) -> WriteResult:
    cfg, cred = conformance_setup("http://fake")
    info = IntegrationInfo("i", "flatchr", {**cfg, **config}, cred)
    return run_action(API, STREAMS, create_app(state=fake), info, action)


@pytest.fixture
def fake() -> FakeState:
    return FakeState.generate(3, 20, rate=None)


def _open(fake: FakeState) -> tuple[str, Raw]:
    return next((h, v) for h, v in fake.vacancies.items() if v["status"] == 1)


def test_apply_posts_to_the_careers_host_with_the_slug_and_token_and_is_created_once(fake: FakeState) -> None:
    vid, vacancy = _open(fake)
    person = bodies.NewCandidate(first_name="Ada", last_name="Lovelace", email_address="ada@x.example")
    call = WriteCall("create_application", "i", bodies.CreateApplication(candidate=person), job_remote_id=vid,
                     stage={"remote_id": "13133"})  # fmt: skip
    result = run(fake, lambda s: CONNECTOR.actions["create_application"](s, call))
    post = [e for e in fake.log.entries() if e.method == "POST" and "candidate/json" in e.path]
    assert len(post) == 1 and post[0].path == "/careers/vacancy/candidate/json"
    sent = json.loads(post[0].body)
    assert (sent["vacancy"], sent["token"], sent["email"]) == (vacancy["slug"], API_KEY, "ada@x.example")
    applicant = result.created["candidate_remote_id"]
    assert result.created["application_remote_id"] == f"{vacancy['vacancy_id']}:{applicant}"
    assert fake.applicants[applicant]["column_id"] == 13133  # the requested stage, then a move
    assert result.records[0][0] == "applicants" and result.records[0][1]["column"] == "Entretien RH"
    retry = WriteCall("create_application", "i", call.body, job_remote_id=vid)
    retry.progress = {"application_create_started": "ada@x.example"}  # an earlier try whose answer was lost
    again = run(fake, lambda s: CONNECTOR.actions["create_application"](s, retry))
    assert again.created == result.created
    assert len([a for a in fake.applicants.values() if a["candidate"]["email"] == "ada@x.example"]) == 1


def _app(fake: FakeState) -> tuple[str, Raw]:
    aid, app = next((a, x) for a, x in fake.applicants.items() if x["column_id"] == 13131 and not x["hired"])
    return f"{fake.vacancies[app['vacancy']]['vacancy_id']}:{aid}", app


def test_a_move_sends_the_column_id_to_the_vacancy_hash_path(fake: FakeState) -> None:
    rid, app = _app(fake)
    call = WriteCall("move_application_to_stage", "i", bodies.MoveStage(stage_id="x"), application={"remote_id": rid},
                     stage={"remote_id": "13134"})  # fmt: skip
    result = run(fake, lambda s: CONNECTOR.actions["move_application_to_stage"](s, call))
    put = [e for e in fake.log.entries() if e.method == "PUT"][-1]
    assert put.path == f"/company/{COMPANY}/vacancy/{app['vacancy']}/applicant/{app['id']}"
    assert json.loads(put.body) == {"column_id": 13134} and app["column_id"] == 13134
    assert result.records[0][1]["column"] == "Entretien manager"
    call.stage = {"remote_id": "999"}
    with pytest.raises(RemoteError) as refused:
        run(fake, lambda s: CONNECTOR.actions["move_application_to_stage"](s, call))
    assert refused.value.status == 400


def test_reject_moves_to_the_refused_column_else_archives(fake: FakeState) -> None:
    rid, app = _app(fake)
    call = WriteCall("reject_application", "i", bodies.Reject(rejection_reason_id="x"), application={"remote_id": rid})
    result = run(fake, lambda s: CONNECTOR.actions["reject_application"](s, call))
    assert app["column_id"] == 13135 and result.records[0][1]["column"] == "Refusé"  # stays visible, DECLINED
    del fake.columns[13135]  # a company without a refusal column (its applicants moved back first)
    for other in fake.applicants.values():
        other["column_id"] = 13131 if other["column_id"] == 13135 else other["column_id"]
    rid2, app2 = _app(fake)
    call2 = WriteCall("reject_application", "i", call.body, application={"remote_id": rid2})
    archived = run(fake, lambda s: CONNECTOR.actions["reject_application"](s, call2))
    assert app2["id"] not in fake.applicants and archived.records == []
    assert "archived" in archived.warnings[-1]
    # a customer's own refusal column, named in the status map
    fake.columns[13140] = {"id": 13140, "title": "Pas retenu"}
    rid3, app3 = _app(fake)
    call3 = WriteCall("reject_application", "i", call.body, application={"remote_id": rid3})
    run(fake, lambda s: CONNECTOR.actions["reject_application"](s, call3), status_map={"Pas retenu": "DECLINED"})
    assert app3["column_id"] == 13140


def test_fake_search_dates_are_mm_dd_yy_and_the_careers_apply_checks_its_body_token(fake: FakeState) -> None:
    client = TestClient(create_app(state=fake))
    auth = {"Authorization": f"Bearer {API_KEY}"}
    url = f"/company/{COMPANY}/search/applicants"
    everyone = client.post(url, headers=auth, json={}).json()
    assert len(everyone) == 20
    assert client.post(url, headers=auth, json={"start": "2023-11-15"}).status_code == 400
    assert len(client.post(url, headers=auth, json={"start": "11/15/23"}).json()) < 20
    assert client.get(f"/company/{COMPANY}/columns", params={"token": API_KEY}).status_code == 200  # ?token= works
    vacancy = _open(fake)[1]
    refused = client.post("/careers/vacancy/candidate/json", headers=auth,
                          json={"vacancy": vacancy["slug"], "token": "nope", "firstname": "A", "lastname": "B",
                                "email": "a@b.example"})  # fmt: skip
    assert refused.status_code == 401 and refused.json() == {"message": "Invalid token"}


def test_the_careers_host_is_overridden_only_with_custom_hosts() -> None:
    assert careers_url({"careers_url": "https://evil.example"}) == "https://careers.flatchr.io"
    assert careers_url({"base_url": "http://fake/company/x", "careers_url": "http://fake/careers/"}) == (
        "http://fake/careers"
    )
