"""The two APIs' endpoints over one :class:`FakeState`: the FrontOffice API v2 under ``/api/v2`` and the
Customer API v1 under ``/api/v1`` and ``/api/exports/v1``. Lists page by position: FrontOffice ``start`` /
``count``, Customer ``offset`` / ``limit`` (1 to 1000, else 400 [gap]); records come in id order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.spec import Call, Endpoint, reply
from atsbridge.fakes.talentsoft.state import FakeState

Raw = dict[str, Any]
FO, V1, EXPORTS = "/api/v2", "/api/v1", "/api/exports/v1"


def _window(call: Call[FakeState], rows: list[Raw], start: str, size: str) -> list[Raw]:
    try:
        first, count = int(call.query.get(start, "0")), int(call.query.get(size, "100"))
    except ValueError:
        raise VendorError(400, f"{start} and {size} must be integers") from None
    if first < 0 or not 1 <= count <= 1000:
        raise VendorError(400, f"{start} must be >= 0 and {size} between 1 and 1000")
    return rows[first : first + count]


def _public(raw: Raw) -> Raw:
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def _by_id(rows: dict[str, Raw]) -> list[Raw]:
    return [rows[k] for k in sorted(rows, key=lambda k: (len(k), k))]


# ----------------------------------------------------------------------------------------- FrontOffice API v2
_SUMMARY = ("reference", "title", "organisation", "contractType", "location", "startPublicationDate")


def _summary(v: Raw) -> Raw:
    out = {k: v[k] for k in _SUMMARY}
    out["organisation"] = {"name": v["organisation"]["name"]}
    return out


def _offer(v: Raw) -> Raw:
    keys = (*_SUMMARY, "description1", "description2", "offerUrl", "customFields", "creationDate", "modificationDate")
    return {**{k: v[k] for k in keys}, "organisation": {"name": v["organisation"]["name"]}}


def _published(fake: FakeState) -> list[Raw]:
    return [v for v in _by_id(fake.vacancies) if v["published"]]


def offer_summaries(call: Call[FakeState]) -> Raw:
    return {"data": [_summary(v) for v in _window(call, _published(call.fake), "start", "count")]}


def get_offer(call: Call[FakeState]) -> Raw:
    v = call.fake.vacancies.get(call.query.get("reference", ""))
    if v is None or not v["published"]:
        raise VendorError(404, "Offer not found")
    return _offer(v)


def fo_application(fake: FakeState, a: Raw) -> Raw:
    cand = fake.candidates[a["candidateId"]]
    applicant = {k: cand[k] for k in ("id", "firstName", "lastName", "email", "phoneNumber", "address",
                                      "creationDate", "modificationDate")}  # fmt: skip
    return {"id": a["id"], "offerReference": a["vacancyReference"], "applicationDate": a["applicationDate"],
            "modificationDate": a["modificationDate"], "status": a["applicationEvent"], "origin": a["origin"],
            "applicant": applicant}  # fmt: skip


def fo_applications(call: Call[FakeState]) -> Raw:
    """Only the applications this client created: the FrontOffice API cannot see back-office ones."""
    mine = sorted(call.fake.fo_applications(), key=lambda a: (len(a["id"]), a["id"]))
    return {"data": [fo_application(call.fake, a) for a in _window(call, mine, "start", "count")]}


def fo_application_one(call: Call[FakeState]) -> Raw:
    a = call.fake.applications.get(call.path["id"])
    if a is None or a["_origin"] != "frontoffice":
        raise VendorError(404, "Application not found")
    return fo_application(call.fake, a)


def apply_without_account(call: Call[FakeState]) -> Any:
    body = call.json(empty={}) or {}
    applicant = body.get("applicant") if isinstance(body, dict) else None
    application = body.get("application") if isinstance(body, dict) else None
    if not isinstance(applicant, dict) or not isinstance(application, dict):
        raise VendorError(400, "applicant and application are required")
    mail = str(applicant.get("email") or "")
    if "@" not in mail or not applicant.get("firstName") or not applicant.get("lastName"):
        raise VendorError(400, "applicant.firstName, applicant.lastName and a valid applicant.email are required")
    vacancy = call.fake.vacancies.get(str(application.get("offerReference") or ""))
    if vacancy is None or not vacancy["published"]:
        raise VendorError(404, "Offer not found")
    fake = call.fake
    cand = fake.candidate_by_mail(mail) or fake.add_candidate(applicant)
    extras = {k: v for k, v in application.items() if k != "offerReference"}
    extras["_applicant"] = {k: v for k, v in applicant.items() if k not in ("firstName", "lastName", "email")}
    made = fake.add_application(cand["id"], vacancy["reference"], "frontoffice", extras)
    return reply({"applicantId": cand["id"], "applicationId": made["id"]}, 201)


# --------------------------------------------------------------------------------------------- Customer API v1
def events(call: Call[FakeState]) -> Raw:
    return {"data": _window(call, call.fake.events, "offset", "limit")}


def event_one(call: Call[FakeState]) -> Raw:
    found = next((e for e in call.fake.events if e["clientCode"] == call.path["id"]), None)
    if found is None:
        raise VendorError(404, "Client code doesn't exist")
    return {"data": found}


def _since(call: Call[FakeState], rows: list[Raw]) -> list[Raw]:
    since = call.query.get("modifiedSince")
    if not since:
        return rows
    if not since.endswith("Z") and "+" not in since[10:]:
        raise VendorError(400, "modifiedSince must be an ISO 8601 date with its offset")
    try:
        floor = datetime.fromisoformat(since.replace("Z", "+00:00"))
    except ValueError:
        raise VendorError(400, "modifiedSince must be an ISO 8601 date") from None
    return [r for r in rows if datetime.fromisoformat(r["modificationDate"].replace("Z", "+00:00")) >= floor]


def export_vacancies(call: Call[FakeState]) -> Raw:
    rows = [{k: v for k, v in r.items() if k != "offerUrl"} for r in _since(call, _by_id(call.fake.vacancies))]
    return {"data": _window(call, rows, "offset", "limit")}


def export_candidates(call: Call[FakeState]) -> Raw:
    rows = _since(call, _by_id(call.fake.candidates))
    if mail := call.query.get("email"):
        rows = [r for r in rows if r["email"].lower() == mail.lower()]
    return {"data": _window(call, rows, "offset", "limit")}


def export_applications(call: Call[FakeState]) -> Raw:
    rows = _since(call, _by_id(call.fake.applications))
    if cid := call.query.get("candidateId"):
        rows = [r for r in rows if r["candidateId"] == cid]
    return {"data": [_public(r) for r in _window(call, rows, "offset", "limit")]}


def create_candidate(call: Call[FakeState]) -> Any:
    body = call.json(empty={}) or {}
    if not isinstance(body, dict) or "@" not in str(body.get("email") or ""):
        raise VendorError(400, "email is required")
    if not body.get("firstName") or not body.get("lastName"):
        raise VendorError(400, "firstName and lastName are required")
    if call.fake.candidate_by_mail(str(body["email"])) is not None:
        raise VendorError(409, "A candidate with this email already exists")
    return reply({"data": call.fake.add_candidate(body)}, 201)


def apply_candidate(call: Call[FakeState]) -> Any:
    body = call.json(empty={}) or {}
    extra = body if isinstance(body, dict) else {}
    made = call.fake.add_application(call.path["id"], call.path["reference"], "backoffice", extra)
    return reply({"data": _public(made)}, 201)


ENDPOINTS = [
    Endpoint("GET", f"{FO}/offersummaries", offer_summaries),
    Endpoint("GET", f"{FO}/offers/getoffer", get_offer),
    Endpoint("GET", f"{FO}/applications", fo_applications),
    Endpoint("GET", f"{FO}/applications/{{id}}", fo_application_one),
    Endpoint("POST", f"{FO}/applicants/applicationswithoutaccount", apply_without_account),
    Endpoint("GET", f"{V1}/referentials/applicationevents", events),
    Endpoint("GET", f"{V1}/referentials/applicationevents/{{id}}", event_one),
    Endpoint("POST", f"{V1}/candidates", create_candidate),
    Endpoint("POST", f"{V1}/candidates/{{id}}/vacancies/{{reference}}", apply_candidate),
    Endpoint("GET", f"{EXPORTS}/vacancies", export_vacancies),
    Endpoint("GET", f"{EXPORTS}/candidates", export_candidates),
    Endpoint("GET", f"{EXPORTS}/applications", export_applications),
]
