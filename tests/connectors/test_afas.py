"""AFAS Profit connector: golden tests on the recorded vendor examples (unchanged), and AFAS's own quirks: the
AfasToken header, the customer-named GetConnectors, Amsterdam wall time dressed as UTC (across both DST changes),
the ``StSo``/``ViAt`` outcome rule, and the UpdateConnector bodies and answers."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall
from atsbridge.connectors.afas import CONNECTOR
from atsbridge.connectors.afas import mappers as m
from atsbridge.connectors.afas.actions import add_attachment, create_application, create_body, move_stage, reject
from atsbridge.connectors.afas.api import API, filter_time, local_time
from atsbridge.connectors.afas.streams import STREAMS
from atsbridge.connectors.base import IntegrationInfo, MapContext
from atsbridge.core.ids import record_id
from atsbridge.fakes.afas import FakeState, conformance_setup, create_app
from atsbridge.fakes.afas.state import wall
from atsbridge.model import write_bodies as bodies
from tests.conftest import payloads

PAY = payloads("afas")
CTX = MapContext("afas:golden")
TOKEN = "<token><version>1</version><data>ABC123</data></token>"
CONFIG = {"environment_id": "12345", "environment_type": "resttest", "applications_connector": "My_Sollicitaties"}


def load(name: str) -> Any:
    return orjson.loads((PAY / name).read_bytes())


def source(handler: Any, config: dict[str, Any] | None = None, token: str = TOKEN) -> kit.KitSource:
    info = IntegrationInfo("afas:t", "afas", config or CONFIG, {"token": token})
    return kit.KitSource(API, API.client(info, httpx.MockTransport(handler)), info.config,
                         streams=kit.resolve(STREAMS))  # fmt: skip


def stream(name: str) -> kit.KitStream:
    return next(s for s in kit.resolve(STREAMS) if s.name == name)


def test_the_recorded_getconnector_page_is_read_with_skip_take_and_its_times_are_amsterdam() -> None:
    """The recorded envelope ``{skip, take, rows}``: a short page ends the listing; the ``Z`` date-times of the
    vendor's own example are Amsterdam wall time (winter: UTC+1)."""
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json=load("getconnector_custom_response.json"))

    async def read() -> list[list[dict[str, Any]]]:
        return [page async for page in source(handler).read(stream("applications"), None)]

    pages = asyncio.run(read())
    assert [r["EmployeeId"] for p in pages for r in p] == ["000001005", "000001006"] and len(seen) == 1
    url = seen[0]
    assert (url.host, url.path) == ("12345.resttest.afas.online", "/ProfitRestServices/connectors/My_Sollicitaties")
    assert dict(url.params) == {"orderbyfieldids": "ApplicationId", "skip": "0", "take": "100"}
    assert local_time(pages[0][0]["EmploymentEndDate"]) == datetime(2020, 11, 21, 23, 0, tzinfo=UTC)


def test_the_token_is_sent_base64_as_afastoken_whole_or_data_only() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers["authorization"])
        return httpx.Response(200, json=load("metainfo_response.json"))

    for token in (TOKEN, "ABC123"):
        asyncio.run(source(handler, token=token).get_json("/MetaInfo"))
    expected = "AfasToken " + base64.b64encode(TOKEN.encode()).decode()
    assert sent == [expected, expected]
    assert CONNECTOR.connect.fields and {f.key for f in CONNECTOR.connect.fields} >= {
        "token", "environment_id", "environment_type", "vacancies_connector", "applicants_connector",
        "applications_connector"}  # fmt: skip


def test_a_delta_filters_modified_at_in_amsterdam_wall_time_and_odd_names_fall_back() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json={"skip": 0, "take": 100, "rows": []})

    async def read(config: dict[str, Any], since: datetime) -> None:
        async for _ in source(handler, config).read(stream("applicants"), since):
            pass

    asyncio.run(read({**CONFIG, "applicants_connector": "Sollicitanten"}, datetime(2024, 7, 1, 10, 0, tzinfo=UTC)))
    asyncio.run(read({**CONFIG, "applicants_connector": "../MetaInfo"}, datetime(2024, 1, 1, 10, 0, tzinfo=UTC)))
    assert seen[0].path.endswith("/connectors/Sollicitanten")
    assert dict(seen[0].params) == {"orderbyfieldids": "ApplicantId", "filterfieldids": "ModifiedAt",
                                    "filtervalues": "2024-07-01T12:00:00", "operatortypes": "2",
                                    "skip": "0", "take": "100"}  # fmt: skip
    assert seen[1].path.endswith("/connectors/Recruitment_Applicants")
    assert seen[1].params["filtervalues"] == "2024-01-01T11:00:00"


def test_amsterdam_time_across_both_dst_changes() -> None:
    """Spring (31 March 2024, 02:00 -> 03:00) and autumn (27 October 2024, 03:00 -> 02:00, the 02:xx hour twice)."""
    assert local_time("2024-03-31T01:59:59Z") == datetime(2024, 3, 31, 0, 59, 59, tzinfo=UTC)
    assert local_time("2024-03-31T03:00:00Z") == datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
    assert local_time("2024-10-27T01:30:00Z") == datetime(2024, 10, 26, 23, 30, tzinfo=UTC)
    assert local_time("2024-10-27T02:30:00Z") == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)  # first reading
    assert local_time("2024-10-27T03:30:00Z") == datetime(2024, 10, 27, 2, 30, tzinfo=UTC)
    assert local_time("2024-10-27") == datetime(2024, 10, 26, 22, 0, tzinfo=UTC)
    assert local_time("not a date") is None and local_time(None) is None
    assert filter_time(datetime(2024, 3, 31, 0, 59, tzinfo=UTC)) == "2024-03-31T01:59:00"
    assert filter_time(datetime(2024, 3, 31, 1, 0, tzinfo=UTC)) == "2024-03-31T03:00:00"
    # inside the repeated hour both instants are sent as the earlier wall time: nothing of it is skipped
    assert filter_time(datetime(2024, 10, 27, 0, 30, tzinfo=UTC)) == "2024-10-27T01:30:00"
    assert filter_time(datetime(2024, 10, 27, 1, 30, tzinfo=UTC)) == "2024-10-27T01:30:00"
    assert filter_time(datetime(2024, 10, 27, 2, 30, tzinfo=UTC)) == "2024-10-27T03:30:00"


APP = {"ApplicationId": "77", "ApplicantId": "1001", "VacancyId": 2, "EmployerId": "RIS", "Status": "1",
       "LastAction": "2", "ApplicationDate": "2024-06-01T09:00:00Z", "ModifiedAt": "2024-06-02T10:00:00Z"}  # fmt: skip


def test_outcome_is_stso_then_the_last_action_and_the_status_map_wins() -> None:
    (app,) = m.map_application(APP, CTX)
    assert app.fields["outcome"] == "PENDING"
    assert app.fields["current_stage_id"] == record_id(CTX.integration_id, "application_stages", "2")
    assert app.fields["job_id"] == record_id(CTX.integration_id, "jobs", "2")
    assert app.fields["remote_updated_at"] == "2024-06-02T08:00:00.000Z"  # 10:00 summer time
    outcome = {(s, a): next(iter(m.map_application({**APP, "Status": s, "LastAction": a}, CTX))).fields
               for s, a in (("2", "6"), ("3", "10"), ("1", "11"), ("1", "6"), ("02", "3"))}  # fmt: skip
    assert outcome["2", "6"]["outcome"] == "HIRED" and outcome["1", "6"]["outcome"] == "HIRED"
    assert outcome["3", "10"]["rejection_reason_name"] == "Definitief afgewezen"
    assert outcome["1", "11"]["outcome"] == "DECLINED" and outcome["1", "11"]["current_stage_id"] is None
    assert outcome["02", "3"]["outcome"] == "HIRED"  # codes arrive padded too
    ctx = MapContext("afas:mapped", status_map={"uitnodiging 2e gesprek": "DECLINED", "aangenomen": "PENDING",
                                                "viat 5": "HIRED", "talent pool": "DECLINED"})  # fmt: skip
    assert next(iter(m.map_application(APP, ctx))).fields["outcome"] == "DECLINED"
    assert next(iter(m.map_application({**APP, "Status": "2"}, ctx))).fields["outcome"] == "PENDING"
    assert next(iter(m.map_application({**APP, "LastAction": "5"}, ctx))).fields["outcome"] == "HIRED"
    labelled = {**APP, "LastAction": "0", "StatusLabel": "Talent pool"}  # a tenant's own label in its GetConnector
    assert next(iter(m.map_application(labelled, ctx))).fields["outcome"] == "DECLINED"
    (job,) = m.map_vacancy({"VacancyId": 2, "Title": "HRM", "Closed": "true", "CreatedAt": "2024-01-01T00:00:00Z"}, CTX)
    assert job.fields["status"] == "CLOSED" and job.fields["remote_created_at"] == "2023-12-31T23:00:00.000Z"


def _create_call(**extra: Any) -> WriteCall[Any]:
    body = bodies.CreateApplication(candidate=bodies.NewCandidate(first_name="Jan", last_name="Jansen",
                                                                  email_address="John.Doe@example.com"))  # fmt: skip
    return WriteCall("create_application", "i", body, job_remote_id="2", **extra)


def test_hrcreateapplicant_uses_the_documented_fields_and_remote_fields_afas() -> None:
    minimal, maximal = load("hrcreateapplicant_request_minimal.json"), load("hrcreateapplicant_request_maximal.json")
    cv = FileData("cv.pdf", "CV", "application/pdf", b"%PDF-1")
    call = _create_call(files=[cv], remote_fields={"Fields": {"WoXp": "01", "ViGe": "M"}})
    fields = create_body(call)["HrCreateApplicant"]["Element"]["Fields"]
    assert set(fields) <= set(maximal["HrCreateApplicant"]["Element"]["Fields"])
    assert set(minimal["HrCreateApplicant"]["Element"]["Fields"]) <= set(fields)
    assert (fields["VcSn"], fields["ViGe"], fields["WoXp"]) == ("2", "M", "01")
    assert base64.b64decode(fields["CvFileStream"]) == b"%PDF-1" and fields["CvFileName"] == "cv.pdf"


def test_the_create_answer_only_echoes_the_key_so_the_row_is_read_back() -> None:
    sent: list[tuple[str, str, dict[str, str]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append((request.method, request.url.path.rsplit("/", 1)[-1], dict(request.url.params)))
        if request.method == "POST":
            return httpx.Response(201, json=load("hrcreateapplicant_response_201.json"))
        row = {**APP, "ApplicationId": "PrimaryKeyValue"} if "Sollicitaties" in request.url.path else {
            "ApplicantId": "1001", "Email": "john.doe@example.com"}  # fmt: skip
        return httpx.Response(200, json={"skip": 0, "take": 100, "rows": [row]})

    result = asyncio.run(create_application(source(handler), _create_call()))
    assert result.created == {"application_remote_id": "PrimaryKeyValue", "candidate_remote_id": "1001"}
    assert sent[1] == ("GET", "My_Sollicitaties", {"filterfieldids": "ApplicationId", "filtervalues": "PrimaryKeyValue",
                                                   "operatortypes": "1", "skip": "0", "take": "100"})  # fmt: skip


def test_move_and_reject_put_one_hrapplication_keyed_like_the_documented_example() -> None:
    documented = load("hrapplicant_request_create.json")["HrApplicant"]["Element"]["Objects"]["HrApplication"]
    puts: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            puts.append(json.loads(request.content))
            return httpx.Response(200, json=load("hrapplicant_response_201.json"))
        return httpx.Response(200, json={"skip": 0, "take": 100, "rows": [APP]})

    app = {"remote_id": "77"}
    asyncio.run(move_stage(source(handler), WriteCall("m", "i", bodies.MoveStage(stage_id="s"), application=app,
                                                      stage={"remote_id": "4"})))  # fmt: skip
    asyncio.run(reject(source(handler), WriteCall("r", "i", bodies.Reject(rejection_reason_id="r", note="Te weinig"),
                                                  application=app, rejection_reason={"remote_id": "11"})))  # fmt: skip
    moved, rejected = (p["HrApplicant"]["Element"] for p in puts)
    assert moved["Fields"] == {"EmId": "1001"}
    element = moved["Objects"]["HrApplication"]["Element"]
    assert set(element) == set(documented["Element"]) and (element["@CmId"], element["@VcSn"]) == ("RIS", "2")
    assert element["Fields"] == {"ViAt": "4"}
    assert rejected["Objects"]["HrApplication"]["Element"]["Fields"] == {"StSo": "3", "ViAt": "11", "Re": "Te weinig"}
    assert set(element["Fields"]) | {"StSo", "Re"} <= set(documented["Element"]["Fields"]) | {"ViAt"}


def test_files_ride_inline_on_a_dossier_item_linked_to_the_applicant_or_application() -> None:
    posts: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            posts.append(json.loads(request.content)["KnSubject"]["Element"])
            return httpx.Response(201, json={"results": {"KnSubject": {"SbId": 55}}})
        return httpx.Response(200, json={"skip": 0, "take": 100, "rows": [APP]})

    pdf = base64.b64encode(b"%PDF").decode()
    upload = bodies.Upload(name="cv.pdf", type="CV", content_type="application/pdf", data=pdf)
    cv = [FileData("cv.pdf", "CV", "application/pdf", b"%PDF")]
    body = bodies.AttachmentBody(attachment=upload)
    for kind, ref in (("application", {"application": {"remote_id": "77"}}), ("candidate", {"candidate": {
            "remote_id": "1001"}})):  # fmt: skip
        call: WriteCall[Any] = WriteCall(f"add_{kind}_attachment", "i", body, files=cv, **ref)
        assert asyncio.run(add_attachment(source(handler), call)).created == {"attachment_remote_id": "55"}
    on_app, on_candidate = posts
    assert on_app["Fields"]["FileName"] == "cv.pdf" and base64.b64decode(on_app["Fields"]["FileStream"]) == b"%PDF"
    assert on_app["Objects"]["KnSubjectLink"]["Element"]["Fields"] == {"ToAp": True, "ApId": "1001", "SfTp": "4",
                                                                       "SfId": "77"}  # fmt: skip
    assert on_candidate["Objects"]["KnSubjectLink"]["Element"]["Fields"] == {"ToAp": True, "ApId": "1001"}


def test_a_change_in_the_repeated_autumn_hour_is_not_missed_by_a_delta_against_the_fake() -> None:
    """Since 00:30 UTC (02:30 summer time) on 27 October 2024; an applicant changed at 01:15 UTC carries the wall
    time 02:15 (winter time), earlier on the wall than the since: the filter still finds it."""
    app = create_app(records=6, rate_limit=None)
    fake: FakeState = app.state.fake
    changed, old = list(fake.applicants)[:2]
    fake.applicants[changed]["ModifiedAt"] = wall(datetime(2024, 10, 27, 1, 15, tzinfo=UTC))
    for aid in fake.applicants:
        if aid != changed:
            fake.applicants[aid]["ModifiedAt"] = wall(datetime(2024, 10, 26, 12, 0, tzinfo=UTC))
    assert fake.applicants[changed]["ModifiedAt"] == "2024-10-27T02:15:00Z" and old != changed
    config, credentials = conformance_setup("http://afas.test")
    info = IntegrationInfo("afas:dst", "afas", config, credentials)
    src = kit.KitSource(API, API.client(info, httpx.ASGITransport(app=app)), config, streams=kit.resolve(STREAMS))

    async def delta() -> list[str]:
        since = datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
        return [r["ApplicantId"] async for page in src.read(stream("applicants"), since) for r in page]

    assert asyncio.run(delta()) == [changed]
