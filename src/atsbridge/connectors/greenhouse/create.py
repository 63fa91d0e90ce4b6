"""``create_application`` for Greenhouse: ``POST /v3/candidates`` then ``POST /v3/applications``.

Kombo's own Greenhouse V3 remote fields name exactly these two requests (``greenhousev3.candidate`` and
``greenhousev3.application`` are merged into their bodies). Modelling choices:

* One person is one Greenhouse candidate: a candidate found by the email address (``?email=``, as v1
  offers) gets the new application, with a warning that their profile was left as it was. Greenhouse
  refuses a second application of a candidate to the same job: that is ``AlreadyApplied``.
* Attachments travel inside the application request (v1's ``attachments[]``), so the application and its
  files are created together; the first CV is the ``resume``, later CVs are ``other`` files.
* Screening answers are the application's ``answers`` (question field name -> value); FILE answers are
  uploaded as ``other`` attachments.
* The job is checked to be open before anything is written (no orphan candidate for a closed job).
* ``sourced_by`` becomes v1's ``referrer`` (a user id); a ``source`` by name is looked up in ``/sources``.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from atsbridge.connectors.actions import AlreadyApplied, FileData, JobClosed, WriteCall, WriteResult
from atsbridge.connectors.greenhouse.api import list_all
from atsbridge.connectors.greenhouse.vendor import (
    Json,
    application_record,
    candidate_records,
    fetch_one,
    job_of,
    newest,
    send,
    vendor_id,
)
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit import KitSource
from atsbridge.model import write_bodies as bodies

#: Greenhouse's wording when a job takes no applications / the candidate is already on the job.
JOB_CLOSED = re.compile(r"job is (closed|not open)|not accepting applications", re.IGNORECASE)
ALREADY_APPLIED = re.compile(r"already (applied|has an application)", re.IGNORECASE)
SOCIAL_HOSTS = ("linkedin.", "twitter.", "x.com", "github.", "xing.", "facebook.", "instagram.")
_EMAIL_TYPES = {"PERSONAL": "personal", "WORK": "work", "OTHER": "other"}
_PHONE_TYPES = {"PERSONAL": "home", "WORK": "work", "OTHER": "other"}
FILE_TYPES = {"CV": "resume", "COVER_LETTER": "cover_letter", "OTHER": "other"}
NewApplication = bodies.CreateApplication | bodies.CreateCandidate


# ------------------------------------------------------------------------------------ request bodies
def _address(loc: bodies.CandidateLocation | None) -> list[Json]:
    if loc is None:
        return []
    town = " ".join(p for p in (loc.zip_code, loc.city) if p)
    text = ", ".join(p for p in (loc.street_1, town, loc.state, loc.country) if p)
    return [{"value": text, "type": "home"}]


def _links(c: bodies.NewCandidate) -> tuple[list[Json], list[Json]]:
    """Profile links are ``social_media_addresses``; anything else is a personal website."""
    social = [{"value": s.url} for s in c.social_links or [] if any(h in s.url.lower() for h in SOCIAL_HOSTS)]
    sites = [{"value": s.url, "type": "personal"} for s in c.social_links or [] if {"value": s.url} not in social]
    return social, sites


def candidate_body(c: bodies.NewCandidate, extra: Json) -> Json:
    emails = [{"value": c.email_address, "type": "personal"}]
    emails += [{"value": e.email_address, "type": _EMAIL_TYPES[e.type]} for e in c.additional_email_addresses or []]
    phones = [{"value": c.phone_number, "type": "mobile"}] if c.phone_number else []
    phones += [{"value": p.phone_number, "type": _PHONE_TYPES[p.type]} for p in c.additional_phone_numbers or []]
    social, sites = _links(c)
    body = {
        "first_name": c.first_name, "last_name": c.last_name, "company": c.company, "title": c.title,
        "email_addresses": emails, "phone_numbers": phones, "addresses": _address(c.location),
        "social_media_addresses": social, "website_addresses": sites,
    }  # fmt: skip
    return {**{k: v for k, v in body.items() if v not in (None, [])}, **extra}


def dropped_fields(body: bodies.CreateApplication | bodies.CreateCandidate) -> list[str]:
    c = body.candidate
    lost = [name for name in ("gender", "availability_date", "salary_expectations") if getattr(c, name) is not None]
    warnings = [f"Greenhouse candidates have no {', '.join(lost)}; not stored"] if lost else []
    if body.gdpr_consent is not None:
        warnings.append("Greenhouse keeps no GDPR consent through its API; it was not stored")
    return warnings


def file_payload(f: FileData, kind: str) -> Json:
    return {"filename": f.name, "type": kind, "content": base64.b64encode(f.content).decode(),
            "content_type": f.content_type}  # fmt: skip


def attachments(call: WriteCall) -> list[Json]:
    """The first CV is the resume (the file Greenhouse previews); later CVs and FILE answers are ``other``."""
    out: list[Json] = []
    resume_given = False
    for f in call.files:
        kind = FILE_TYPES[f.type]
        if kind == "resume":
            kind, resume_given = ("other" if resume_given else "resume"), True
        out.append(file_payload(f, kind))
    out += [file_payload(a.value, "other") for a in call.answers if a.type == "FILE"]
    return out


def _answer_value(kind: str, value: Any) -> Any:
    if kind == "SINGLE_SELECT":
        return vendor_id(value[0]["remote_id"])
    if kind == "MULTI_SELECT":
        return [vendor_id(o["remote_id"]) for o in value]
    if kind == "NUMBER" and float(value).is_integer():
        return int(value)
    return value


def answers(call: WriteCall) -> list[Json]:
    return [
        {"question_id": a.question.get("remote_id"), "answer": _answer_value(a.type, a.value)}
        for a in call.answers
        if a.type != "FILE" and a.question.get("remote_id")
    ]


# ------------------------------------------------------------------------------------------- steps
def _emails(rec: Json) -> set[str]:
    return {str(e.get("value", "")).lower() for e in rec.get("email_addresses") or []}


async def _find_candidate(src: KitSource, email: str) -> Any:
    """The oldest candidate with this address (Greenhouse may hold unmerged duplicates)."""
    found = await list_all(src, "/candidates", {"email": email})
    ids = [rec["id"] for rec in found if email.lower() in _emails(rec)]
    return min(ids, key=lambda i: int(i) if str(i).isdigit() else 0) if ids else None


async def _candidate(src: KitSource, call: WriteCall, body: bodies.CreateApplication | bodies.CreateCandidate,
                     extra: Json) -> Any:  # fmt: skip
    """The candidate's remote id: an existing one with this email, or a new one (created at most once)."""
    email = body.candidate.email_address
    if "candidate_remote_id" not in call.progress and "candidate_create_started" not in call.progress:
        existing = await _find_candidate(src, email)
        if existing is not None:
            call.step("candidate_reused", True)
            call.step("candidate_remote_id", existing)
            return existing

    async def create() -> Any:
        return (await send(src, "POST", "/candidates", candidate_body(body.candidate, extra), "the candidate"))["id"]

    async def find(_email: Any) -> Any:
        return await _find_candidate(src, email)

    return await call.once_id("candidate", create, find=find, marker=email.lower())


async def _check_open(src: KitSource, job: Any) -> None:
    """Before the first write: a job that takes no applications would leave an orphan candidate behind
    (the application request refuses it too, which covers a job closing in between)."""
    found = await fetch_one(src, "/jobs", job)
    if found is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"Greenhouse has no job {job}", status=404)
    status = str(found.get("status") or "").lower()
    if status and status != "open":
        raise JobClosed(f"Greenhouse job {job} ({found.get('name')!r}) is {status}: it takes no applications")


async def _source_id(src: KitSource, source: bodies.Source | None, warnings: list[str]) -> Any:
    if source is None or not (source.id or source.name):
        return None
    if source.id and source.id.isdigit():
        return int(source.id)
    wanted = (source.name or source.id or "").strip().lower()
    for rec in await list_all(src, "/sources"):
        if str(rec.get("name") or rec.get("public_name") or "").strip().lower() == wanted:
            return rec["id"]
    warnings.append(f"Greenhouse has no source named {source.name or source.id!r}; the application has no source")
    return None


async def _find_application(src: KitSource, cand: Any, job: Any) -> Any:
    found = await list_all(src, "/applications", {"candidate_id": str(cand), "job_id": str(job)})
    return newest(found, lambda rec: str(job_of(rec)) == str(job) and str(rec.get("candidate_id")) == str(cand))


async def _post_application(src: KitSource, body: Json) -> Any:
    try:
        created = await send(src, "POST", "/applications", body, "the application")
    except RemoteError as exc:
        if exc.status == 422 and JOB_CLOSED.search(exc.message):
            raise JobClosed(exc.message) from None
        if exc.status == 422 and ALREADY_APPLIED.search(exc.message):
            raise AlreadyApplied(exc.message) from None
        raise
    return created["id"]


async def _application_body(src: KitSource, call: WriteCall[NewApplication], cand: Any, warnings: list[str]) -> Json:
    body = call.body
    out: Json = {"candidate_id": vendor_id(cand), "job_id": vendor_id(call.job_remote_id)}
    if call.stage and call.stage.get("remote_id"):
        out["initial_stage_id"] = vendor_id(call.stage["remote_id"])
    source_id = await _source_id(src, body.source, warnings)
    if source_id is not None:
        out["source_id"] = source_id
    if call.sourced_by_remote_id:
        out["referrer"] = {"type": "id", "value": vendor_id(call.sourced_by_remote_id)}
    if files := attachments(call):
        out["attachments"] = files
    if given := answers(call):
        out["answers"] = given
    return out


async def create_application(src: KitSource, call: WriteCall[NewApplication], v3: Json) -> WriteResult:
    body = call.body
    warnings = dropped_fields(body)
    if "candidate_remote_id" not in call.progress and "candidate_create_started" not in call.progress:
        await _check_open(src, call.job_remote_id)
    cand = await _candidate(src, call, body, dict(v3.get("candidate") or {}))
    if call.progress.get("candidate_reused"):
        warnings.append(
            f"{body.candidate.email_address} is already Greenhouse candidate {cand}: the application was added to "
            "that candidate and the profile was left unchanged"
        )
    payload = {**await _application_body(src, call, cand, warnings), **dict(v3.get("application") or {})}

    async def find(_intent: Any) -> Any:
        return await _find_application(src, cand, call.job_remote_id)

    app = await call.once_id(
        "application", lambda: _post_application(src, payload), find=find,
        marker={"candidate": str(cand), "job": call.job_remote_id},
    )  # fmt: skip
    records = [*await candidate_records(src, cand), ("applications", await application_record(src, app))]
    records += [("attachments", a) for a in await list_all(src, "/attachments", {"application_id": str(app)})]
    created = {"application_remote_id": str(app), "candidate_remote_id": str(cand)}
    return WriteResult(records, warnings, created)
