"""A stateful fake of AFAS Profit's REST API (recruitment) for tests and demos (``atsbridge fake-ats afas``).

AFAS reads go through **customer-built GetConnectors**: this tenant has built ``Recruitment_Vacancies``,
``Recruitment_Applicants`` and ``Recruitment_Applications`` (the connector's default names and field ids) and
uses the standard ``Profit_Subjects`` for dossier items. Their *row fields* are the tenant's choice, so no
recording can fix them: they are built field by field from the connector's documented set (reference §4 [gap]);
the envelope ``{"skip", "take", "rows"}``, ``/MetaInfo``, ``/Metainfo/get/{id}`` and the UpdateConnector
answers ``{"results": {<connector>: {<key>: ...}}}`` follow the recorded vendor examples (``payloads/``).

Served: ``GET /connectors/{GetConnector}`` with ``skip``/``take`` (``take`` 1-1000; a short page ends the
listing), ``orderbyfieldids`` (``-`` for descending) and ``filterfieldids``/``filtervalues``/
``operatortypes`` (``,`` = AND; operators 1 =, 2 >=, 3 <=, 4 >, 5 <, 6 contains, 7 !=); an unknown
GetConnector is 401 (not in the App connector, as AFAS answers). Date-times are **Amsterdam wall time with a
``Z``** and filters compare wall time, as AFAS does. Writes: ``POST /connectors/HrCreateApplicant`` (201),
``PUT /connectors/HrApplicant`` (``HrApplication`` ``StSo``/``ViAt``), ``POST /connectors/KnSubject`` (201; a
file inline as ``FileName`` + base64 ``FileStream``; linked by ``KnSubjectLink`` ``ApId``/``SfId``).
``HrCreateApplicant`` without ``BcCo`` reuses the applicant with the same e-mail (AFAS's person matching is a
tenant setting [gap]). Auth: ``Authorization: AfasToken <base64 of the XML token>``. Errors: ``{"errorNumber",
"externalMessage", "profitLogReference"}`` [doc]; beyond the fair-use window (default 20/s; AFAS publishes no
number) 429 with ``Retry-After`` [gap: AFAS documents only 503 + ``Retry-After``]. Built on the fake engine
(faults, request log, control API); mutations live on ``app.state.fake`` (:class:`FakeState`).
"""

from __future__ import annotations

import base64
import re
from typing import Any

from atsbridge.fakes.afas.simulate import HOOKS
from atsbridge.fakes.afas.state import NAMES, TOKEN, FakeState, Raw
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, reply

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

PROBE = ("/MetaInfo", {"Authorization": "AfasToken " + base64.b64encode(TOKEN.encode()).decode()})
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def errors(error: VendorError) -> Any:
    return {"errorNumber": -2146232832, "externalMessage": error.message, "profitLogReference": ""}


def _compare(value: Any, wanted: str, op: str) -> bool:
    have = "" if value is None else str(value)
    if TIME.match(have) and TIME.match(wanted):  # wall time against wall time, the Z ignored
        have, wanted = have[:19], wanted[:19]
    elif have.lstrip("-").isdigit() and wanted.lstrip("-").isdigit():
        a, b = int(have), int(wanted)
        return {"1": a == b, "2": a >= b, "3": a <= b, "4": a > b, "5": a < b, "6": wanted in have, "7": a != b}[op]
    have, wanted = have.lower(), wanted.lower()
    checks = {"1": have == wanted, "2": have >= wanted, "3": have <= wanted, "4": have > wanted,
              "5": have < wanted, "6": wanted in have, "7": have != wanted}  # fmt: skip
    return checks[op]


def _filtered(call: Call[FakeState], rows: list[Raw]) -> list[Raw]:
    q = call.query
    ids, values, ops = (q.get(k, "") for k in ("filterfieldids", "filtervalues", "operatortypes"))
    if not ids:
        return rows
    terms = list(zip(ids.split(","), values.split(","), ops.split(","), strict=False))
    if len(terms) != len(ids.split(",")) or len(values.split(",")) != len(terms):
        raise VendorError(400, "Het aantal filtervelden, filterwaarden en operatoren komt niet overeen.")
    for field_id, _, op in terms:
        if op not in ("1", "2", "3", "4", "5", "6", "7"):
            raise VendorError(400, f"Operator {op} is niet geldig.")
        if rows and field_id not in rows[0]:
            raise VendorError(400, f"Veld '{field_id}' bestaat niet in deze GetConnector.")
    return [r for r in rows if all(_compare(r.get(f), v, op) for f, v, op in terms)]


def get_connector(call: Call[FakeState]) -> Raw:
    name = call.path["name"]
    kind = next((k for k, n in NAMES.items() if n == name), None)
    if kind is None:
        raise VendorError(401, f"GetConnector '{name}' is niet toegestaan voor deze App connector.")
    skip, take = call.query.get("skip", "0"), call.query.get("take", "100")
    if not skip.isdigit() or not take.isdigit() or not 1 <= int(take) <= 1000:
        raise VendorError(400, "skip en take moeten gehele getallen zijn (take 1-1000).")
    rows = _filtered(call, [dict(r) for r in getattr(call.fake, kind).values()])
    order = call.query.get("orderbyfieldids", "")
    if order:
        key = order.lstrip("-")
        rows.sort(key=lambda r: (str(r.get(key)).zfill(12), str(r)), reverse=order.startswith("-"))
    # no page cap: AFAS serves ``take`` rows, and a shorter page means the end [doc]
    return {"skip": int(skip), "take": int(take), "rows": rows[int(skip) : int(skip) + int(take)]}


def metainfo(call: Call[FakeState]) -> Raw:
    updates = (("HrCreateApplicant", "Aanmaken sollicitatie"), ("HrApplicant", "Sollicitant"),
               ("KnSubject", "Dossieritem"))
    return {"updateConnectors": [{"id": i, "description": d} for i, d in updates],
            "getConnectors": [{"id": n, "description": n} for n in NAMES.values()],
            "info": {"envid": "O12345AA", "appName": "atsbridge", "group": "AuthorizationGroup 101 (12345.ATS)",
                     "tokenExpiry": "0"}}  # fmt: skip


def metainfo_get(call: Call[FakeState]) -> Raw:
    kind = next((k for k, n in NAMES.items() if n == call.path["name"]), None)
    if kind is None:
        raise VendorError(404, f"GetConnector '{call.path['name']}' bestaat niet.")
    sample: Raw = next(iter(getattr(call.fake, kind).values()), {})
    return {"name": call.path["name"], "description": call.path["name"], "fields": [
        {"id": k, "fieldId": k, "dataType": "int" if isinstance(v, int) else "string", "label": k, "length": 255,
         "controlType": 1, "decimals": 0, "decimalsFieldId": ""} for k, v in sample.items()]}  # fmt: skip


def _fields(call: Call[FakeState], connector: str) -> Raw:
    body = call.json_object().get(connector)
    fields = (body or {}).get("Element", {}).get("Fields") if isinstance(body, dict) else None
    if not isinstance(fields, dict):
        raise VendorError(400, f"Het bericht bevat geen {connector}.Element.Fields.")
    return fields


def create_applicant(call: Call[FakeState]) -> Any:
    f, fake = _fields(call, "HrCreateApplicant"), call.fake
    vacancy = fake.vacancies.get(str(f.get("VcSn") or ""))
    if vacancy is None or vacancy["Closed"] != "0":
        raise VendorError(400, f"Vacature '{f.get('VcSn')}' bestaat niet of is gesloten.")
    if not f.get("BcCo") and not (f.get("LaNm") and f.get("EmAd")):
        raise VendorError(400, "Achternaam (LaNm) en e-mail (EmAd) zijn verplicht voor een nieuwe persoon.")
    if f.get("ViGe") and str(f["ViGe"]).upper() not in ("M", "O", "V", "X"):
        raise VendorError(400, f"Geslacht '{f['ViGe']}' is niet toegestaan.")
    email = str(f.get("EmAd") or "").lower()
    if any(a["Email"] == email and str(x["VacancyId"]) == str(f["VcSn"]) for x in fake.applications.values()
           for a in [fake.applicants[x["ApplicantId"]]]):  # fmt: skip
        raise VendorError(400, "Deze persoon heeft al gesolliciteerd op deze vacature.")
    app = fake.apply(str(f["VcSn"]), f.get("FiNm"), str(f.get("LaNm") or ""), email, person=f.get("BcCo"),
                     phone=f.get("TeNr"))  # fmt: skip
    return reply({"results": {"HrCreateApplicant": {"CaId": app["ApplicationId"]}}}, 201)


def update_applicant(call: Call[FakeState]) -> Raw:
    f = _fields(call, "HrApplicant")
    element = (call.json_object()["HrApplicant"]["Element"].get("Objects") or {}).get("HrApplication", {})
    element = element.get("Element") if isinstance(element, dict) else None
    if str(f.get("EmId")) not in call.fake.applicants or not isinstance(element, dict):
        raise VendorError(400, f"Sollicitant '{f.get('EmId')}' of de sollicitatie ontbreekt.")
    call.fake.update_application(str(f["EmId"]), str(element.get("@VcSn")), element.get("@CmId"),
                                 element.get("Fields") or {})  # fmt: skip
    return {"results": {"HrApplicant": {"EmId": str(f["EmId"])}}}


def create_subject(call: Call[FakeState]) -> Any:
    f = _fields(call, "KnSubject")
    objects = call.json_object()["KnSubject"]["Element"].get("Objects") or {}
    link = ((objects.get("KnSubjectLink") or {}).get("Element") or {}).get("Fields") or {}
    if not str(f.get("SbTx") or "").strip():
        raise VendorError(400, "Toelichting (SbTx) is verplicht.")
    file = None
    if f.get("FileName") or f.get("FileStream"):
        try:
            file = (str(f["FileName"]), len(base64.b64decode(str(f["FileStream"]), validate=True)))
        except (KeyError, ValueError):
            raise VendorError(400, "FileName en FileStream (base64) horen bij elkaar.") from None
    made = call.fake.add_subject(str(link.get("ApId")), str(link.get("SfId") or "") or None, str(f.get("Ds") or ""),
                                 str(f["SbTx"]), file)  # fmt: skip
    return reply({"results": {"KnSubject": {"SbId": made["SubjectId"]}}}, 201)


SPEC = FakeSpec(
    name="afas",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", "/MetaInfo", metainfo),
        Endpoint("GET", "/Metainfo/get/{name}", metainfo_get),
        Endpoint("POST", "/connectors/HrCreateApplicant", create_applicant),
        Endpoint("PUT", "/connectors/HrApplicant", update_applicant),
        Endpoint("POST", "/connectors/KnSubject", create_subject),
        Endpoint("GET", "/connectors/{name}", get_connector),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake AFAS environment with ``records``
#: applications (or the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(20, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": base_url, "environment_id": "12345", "environment_type": "rest"},
    {"token": TOKEN},
)
