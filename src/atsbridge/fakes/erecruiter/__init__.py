"""A stateful fake of the Austrian eRecruiter's web API (erecruiter.net; ``atsbridge fake-ats erecruiter``).

Only the token answer was recorded (``payloads/``); every other shape is a response class of the vendor's own
.NET client (``eRecruiter/eRecruiter.Api``) property for property, enums as numbers (Web API's default JSON.NET
settings [gap]), dates as .NET writes them (7 fractional digits and an offset, like the recorded ``Expires``).

Served under ``/Api`` (``state.TokenAuth``: ``POST /Api/`` ``{Key, MandatorId}`` -> ``{Token, Expires}``, then
``X-ApiToken``; else 401): ``Ping``, ``Mandator`` (its ``JobPublicationTypes`` are the channels),
``PublishedJobs?channel=`` (``{Jobs, JobPublicationType, Culture}``; a draft job is published nowhere),
``Job/{id}``, ``Users/``, ``Applications/ByJob/{job}`` (slim ``{Id, JobId, ApplicantId}``),
``Applications/{applicant}``, ``Applicant/{id}`` (GET, POST = replace), ``PUT Applicant/``,
``Applicants/ByEmail/{email}``, documents (``Applicant/Documents/{applicant}``, ``Applicant/Document/{id}``
with base64 ``Content`` when ``includeContent=true``, ``PUT Applicant/Document/{applicant}``), ``PUT
Applicant/Cv/{applicant}``, ``PUT Applicant/History/{applicant}`` (write-only, as in the API) and ``PUT
Application/`` (``{ApplicationId, Errors}`` with HTTP 200 [gap]). Quirks copied: **no paging** anywhere (bare
arrays), no listing of all applicants, errors as ``{"Message"}``, 429 beyond the rate window (default 10/s;
eRecruiter documents no limit [gap]). Faults, request log and control API are the engine's.
"""

from __future__ import annotations

import base64
import binascii
import random
from typing import Any
from urllib.parse import urlsplit

from atsbridge.fakes.erecruiter.state import (
    APPLICANT_FIELDS,
    FIRST,
    KEY,
    MANDATOR,
    PROBE_TOKEN,
    WORKFLOW,
    FakeState,
    Raw,
    b64,
)
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import pick, simulator
from atsbridge.fakes.kit.spec import Call, Change, Endpoint, FakeSpec, Hooks

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

A = "/Api"
PROBE = (f"{A}/Users/", {"X-ApiToken": PROBE_TOKEN})
_READ_ONLY = ("Id", "DateOfUpdateByUser", "DateOfUpdateByApplicant")


def errors(error: VendorError) -> Any:
    """ASP.NET Web API's error body."""
    return {"Message": error.message}


def _public(record: Raw) -> Raw:
    return {k: v for k, v in record.items() if not k.startswith("_")}


def published_jobs(call: Call[FakeState]) -> Raw:
    channel = call.query.get("channel")
    if not channel:
        raise VendorError(400, "The channel is required.")
    jobs = [j for j in call.fake.jobs.values() if any(p["Name"] == channel for p in j["PublishedOn"])]
    kind = next((p for p in call.fake.mandator["JobPublicationTypes"] if p["Name"] == channel), None)
    return {"Jobs": jobs, "JobPublicationType": kind, "Culture": call.query.get("culture") or "de-AT"}


def job(call: Call[FakeState]) -> Raw:
    found = call.fake.jobs.get(int(call.path["id"])) if call.path["id"].isdigit() else None
    if found is None:
        raise VendorError(404, "The job does not exist.")
    return found


def by_job(call: Call[FakeState]) -> list[Raw]:
    jid = job(call)["Id"]
    return [{"Id": a["Id"], "JobId": a["JobId"], "ApplicantId": a["ApplicantId"]}
            for a in call.fake.applications.values() if a["JobId"] == jid]  # fmt: skip


def applications(call: Call[FakeState]) -> list[Raw]:
    aid = call.fake.applicant(call.path["id"])["Id"]
    return [a for a in call.fake.applications.values() if a["ApplicantId"] == aid]


def by_email(call: Call[FakeState]) -> list[Raw]:
    mail = call.path["email"].lower()
    return [p for p in call.fake.applicants.values() if str(p.get("Email") or "").lower() == mail]


def _check_person(body: Raw) -> None:
    for key in ("FirstName", "LastName", "Email"):
        if not isinstance(body.get(key), str) or not body[key].strip():
            raise VendorError(400, f"The {key} field is required.")


def put_applicant(call: Call[FakeState]) -> Raw:
    body = call.json_object()
    _check_person(body)
    return call.fake.add_applicant(body, call.fake.now())


def post_applicant(call: Call[FakeState]) -> Raw:
    """``POST Api/Applicant/{id}``: the applicant's fields replaced by the ones sent."""
    person, body = call.fake.applicant(call.path["id"]), call.json_object()
    _check_person(body)
    if not isinstance(body.get("Tags") or [], list):
        raise VendorError(400, "Tags must be a list.")
    person.update({k: body.get(k) for k in APPLICANT_FIELDS if k not in _READ_ONLY and k in body})
    person["Tags"] = [str(t) for t in person.get("Tags") or []]
    call.fake.touch(person["Id"])
    return person


def put_application(call: Call[FakeState]) -> Raw:
    body = call.json_object()
    applicant, jid = body.get("ApplicantId"), body.get("JobId")
    errors: list[str] = []
    if not isinstance(applicant, int) or applicant not in call.fake.applicants:
        errors.append("ApplicantDoesNotExist")
    found = call.fake.jobs.get(jid) if isinstance(jid, int) else None
    if found is None:
        errors.append("JobDoesNotExist")
    elif found["Status"] != 0 or not found["PublishedOn"]:
        errors.append("JobIsClosed")
    if not errors and any(a["ApplicantId"] == applicant and a["JobId"] == jid for a in call.fake.applications.values()):
        errors.append("ApplicationAlreadyExists")
    if errors:
        return {"ApplicationId": None, "Errors": errors}
    app = call.fake.apply(int(applicant), int(jid))  # type: ignore[arg-type]
    app["Referrer"] = body.get("Referrer") or app["Referrer"]
    call.fake.touch(int(applicant))  # type: ignore[arg-type]
    return {"ApplicationId": app["Id"], "Errors": []}


def documents(call: Call[FakeState]) -> list[Raw]:
    aid = call.fake.applicant(call.path["id"])["Id"]
    return [_public(d) for d in call.fake.documents.values() if d["_applicant"] == aid]


def document(call: Call[FakeState]) -> Raw:
    found = call.fake.documents.get(int(call.path["id"])) if call.path["id"].isdigit() else None
    if found is None:
        raise VendorError(404, "The document does not exist.")
    content = call.query.get("includeContent", "true").lower() != "false"
    return {**_public(found), "Content": b64(found["_content"]) if content else None}


def _content(body: Raw) -> bytes:
    try:
        return base64.b64decode(str(body.get("Content") or ""), validate=True)
    except (binascii.Error, ValueError):
        raise VendorError(400, "The Content field is not valid base64.") from None


def put_document(call: Call[FakeState]) -> Raw:
    aid, body = call.fake.applicant(call.path["id"])["Id"], call.json_object()
    if not str(body.get("Name") or "").strip():
        raise VendorError(400, "The Name field is required.")
    made = call.fake.add_document(aid, str(body["Name"]), str(body.get("FileExtension") or ""),
                                  str(body.get("Type") or "Other"), _content(body))  # fmt: skip
    call.fake.touch(aid)
    return _public(made)


def put_cv(call: Call[FakeState]) -> Raw:
    person, body = call.fake.applicant(call.path["id"]), call.json_object()
    call.fake.cvs[person["Id"]] = {"FileExtension": body.get("FileExtension"), "_content": _content(body)}
    person["HasCv"] = True
    return {"FileExtension": body.get("FileExtension"), "Content": None}


def put_history(call: Call[FakeState]) -> Raw:
    aid, body = call.fake.applicant(call.path["id"])["Id"], call.json_object()
    if not str(body.get("Body") or body.get("Subject") or "").strip():
        raise VendorError(400, "The Subject or Body field is required.")
    entry = {k: body.get(k) for k in ("JobId", "Subject", "Body", "Type", "CreatedBy")}
    call.fake.history[aid].append(entry)
    return entry


# ------------------------------------------------------------------------------------ control-API hooks
def _edit(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, sorted(fake.reachable()))
    if aid is None:
        return None
    fake.applicants[aid]["FirstName"] = f"{rnd.choice(FIRST)} {rnd.randrange(1000)}"
    fake.touch(aid)
    return Change("applicants", str(aid), "updated")


def _move(fake: FakeState, rnd: random.Random) -> Change | None:
    jobs = fake.published()
    app_id = pick(rnd, sorted(a for a, app in fake.applications.items() if app["JobId"] in jobs))
    if app_id is None:
        return None
    app = fake.applications[app_id]
    app["Status"], app["WorkflowStatusGroup"] = rnd.choice([w for w in WORKFLOW if w[0] != app["Status"]])
    return Change("applications", str(app_id), "updated")


def _delete(fake: FakeState, rnd: random.Random) -> Change | None:
    aid = pick(rnd, sorted(fake.reachable()))
    if aid is None or len(fake.applicants) < 2:
        return None
    fake.delete_applicant(aid)
    return Change("applicants", str(aid), "deleted")


def _apply(fake: FakeState, rnd: random.Random) -> Change | None:
    jid = pick(rnd, sorted(fake.published()))
    if jid is None:
        return None
    person = fake.add_applicant({"FirstName": rnd.choice(FIRST), "LastName": "Sim",
                                 "Email": f"sim{fake.seq}@mail.example"}, fake.now())  # fmt: skip
    return Change("applications", str(fake.apply(person["Id"], jid)["Id"]), "created")


def _truth(fake: FakeState) -> dict[str, list[str]]:
    """What the API can reach: applicants with an application on a published job, with all their applications."""
    reach = fake.reachable()
    return {"candidates": [str(a) for a in sorted(reach)],
            "applications": [str(k) for k, a in fake.applications.items() if a["ApplicantId"] in reach],
            "jobs": [str(j) for j in sorted(fake.published())]}  # fmt: skip


HOOKS = Hooks(
    lambda f: {"jobs": len(f.jobs), "applicants": len(f.applicants), "applications": len(f.applications),
               "documents": len(f.documents), "history": sum(map(len, f.history.values())), "users": len(f.users)},
    simulator(_edit, _move, _move, _delete, _apply, refused=(VendorError, KeyError)),
    _truth,
    {"applicants": "candidates", "applications": "applications", "jobs": "jobs"},
)  # fmt: skip
SPEC = FakeSpec(
    name="erecruiter",
    errors=errors,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", f"{A}/Ping", lambda call: "Pong"),
        Endpoint("GET", f"{A}/Mandator", lambda call: call.fake.mandator),
        Endpoint("GET", f"{A}/PublishedJobs", published_jobs),
        Endpoint("GET", f"{A}/Job/{{id}}", job),
        Endpoint("GET", f"{A}/Users/", lambda call: list(call.fake.users.values())),
        Endpoint("GET", f"{A}/Applications/ByJob/{{id}}", by_job),
        Endpoint("GET", f"{A}/Applications/{{id}}", applications),
        Endpoint("GET", f"{A}/Applicants/ByEmail/{{email}}", by_email),
        Endpoint("PUT", f"{A}/Applicant/", put_applicant),
        Endpoint("GET", f"{A}/Applicant/Documents/{{id}}", documents),
        Endpoint("GET", f"{A}/Applicant/Document/{{id}}", document),
        Endpoint("PUT", f"{A}/Applicant/Document/{{id}}", put_document),
        Endpoint("PUT", f"{A}/Applicant/Cv/{{id}}", put_cv),
        Endpoint("PUT", f"{A}/Applicant/History/{{id}}", put_history),
        Endpoint("GET", f"{A}/Applicant/{{id}}", lambda call: call.fake.applicant(call.path["id"])),
        Endpoint("POST", f"{A}/Applicant/{{id}}", post_applicant),
        Endpoint("PUT", f"{A}/Application/", put_application),
    ],
)

#: ``create_app(seed, records, *, latency, rate_limit, state)``: a fake mandator with ``records`` applicants (one or
#: two applications each) on jobs published on ``state.CHANNELS`` (or the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(10, 1.0))


conformance_setup = conformance(
    lambda base_url: {"base_url": f"{base_url}{A}", "domain": urlsplit(base_url).hostname or "localhost"},
    {"api_key": KEY, "mandator_id": str(MANDATOR)},
)
