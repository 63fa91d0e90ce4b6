"""JobDiva writes (``POST /apiv2/jobdiva/...``, JSON bodies; each answers a bare value, not a record).

Signatures from the public copy of JobDiva's API source [3p] (``CandidateV2Controller``,
``JobDivaV2Controller``). Refusals are HTTP 420 (METHOD_FAILURE) ``{"apierror": {"message"}}``: they become
``REMOTE.INPUT_INVALID`` with JobDiva's message.

* ``add_application_note``: ``createCandidateNote`` ``{candidateid, note, link2AnOpenJob}`` answers the new
  note's id. Notes belong to the candidate; the application's job is linked. Create-once: ``find`` looks for
  the same text on the candidate in the notes report since the attempt started.
* ``create_application`` (and the deprecated ``create_candidate``): the candidate by email
  (``searchCandidateProfile``; JobDiva keeps one profile per person), else ``createCandidate`` (answers the
  id); then ``createJobApplication`` ``{candidateid, jobid}``, which answers only ``true``: the new activity
  is found in the activity report by candidate and job, which is also the create-once ``find``. Files,
  screening answers and the stage are not sent (warnings): JobDiva's resume upload parses and may merge
  profiles, and it has no pipeline stages.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.jobdiva import mappers as m
from atsbridge.connectors.jobdiva.api import BI, OVERLAP, WRITE, bi_time
from atsbridge.connectors.kit.values import any_text as text
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate


WRITES = kit.WriteTable()


def _rid(record: Raw | None, what: str) -> str:
    rid = str((record or {}).get("remote_id") or "")
    if not rid.isdigit():
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no JobDiva id")
    return rid


def _vendor_message(exc: RemoteError) -> str:
    try:
        found = orjson.loads(exc.body or "{}")
        return str((found.get("apierror") or {}).get("message") or found.get("message") or exc.message)
    except (ValueError, AttributeError, TypeError):
        return exc.message


async def _post(source: kit.KitSource, action: str, body: Raw) -> str:
    """One create (never re-sent on 5xx/timeouts); the bare answer text. A 420/400 is JobDiva's refusal."""
    try:
        response = await kit.create_request(source.client, "POST", f"{WRITE}/{action}", json=body)
    except RemoteError as exc:
        if exc.status in (400, 420):
            message = _vendor_message(exc)
            if "already" in message.lower() and action == "createJobApplication":
                raise AlreadyApplied(f"JobDiva: {message}") from None
            raise RemoteError("REMOTE.INPUT_INVALID", f"JobDiva refused {action}: {message}", status=exc.status,
                              body=exc.body) from None  # fmt: skip
        raise
    return response.text.strip().strip('"')


def _number(answer: str, what: str) -> str:
    if not answer.isdigit():
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"JobDiva answered {what} without an id: {answer[:100]!r}")
    return answer


async def _report(source: kit.KitSource, report: str, since_ms: object) -> list[Raw]:
    """A BI report's rows changed since an attempt began (``since_ms``), read with the sync's overlap."""
    started = datetime.fromtimestamp(int(str(since_ms)) / 1000, UTC) if str(since_ms).isdigit() else None
    start = (started or datetime.now(UTC)) - OVERLAP
    params = {"fromDate": bi_time(start), "toDate": bi_time(datetime.now(UTC) + timedelta(days=1))}
    return [dict(r) for r in await source.all_records(report, f"{BI}/{report}", params)]


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    candidate_id = _rid(call.candidate, "candidate")
    job_id = str((call.job or {}).get("remote_id") or "")
    content = call.body.content.strip()
    body: Raw = {"candidateid": int(candidate_id), "note": content}
    if job_id.isdigit():
        body["link2AnOpenJob"] = int(job_id)
    extra = call.remote_fields.get("note")
    if isinstance(extra, dict):
        body.update(extra)

    def row(note_id: str) -> Raw:
        return {"NOTEID": note_id, "CANDIDATEID": candidate_id, "NOTE": content, "JOBID": job_id or None,
                "DATECREATED": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")}  # fmt: skip

    async def create() -> Raw:
        return row(_number(await _post(source, "createCandidateNote", body), "the note"))

    async def find(marker: object) -> Raw | None:
        rows = await _report(source, "NewUpdatedCandidateNoteRecords", marker)
        return next((r for r in rows if m.first(r, "CANDIDATEID") == candidate_id and text(r.get("NOTE")) == content),
                    None)  # fmt: skip

    async def fetch(note_id: str) -> Raw:  # a replay: the note as created (the report has no by-id read)
        return row(note_id)

    note = await call.once("note", create, find=find, fetch=fetch, id_of=lambda raw: raw["NOTEID"])
    return WriteResult([("notes", note)], created={"note_remote_id": str(note["NOTEID"])})


async def _search(source: kit.KitSource, email: str) -> str | None:
    answer = await source.client.request("POST", f"{WRITE}/searchCandidateProfile", json={"email": email,
                                                                                        "maxreturned": 5})  # fmt: skip
    try:
        found = answer.json() if answer.content else []
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "JobDiva's candidate search answered no JSON") from None
    if not isinstance(found, list):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "JobDiva's candidate search answered no list")
    ids = [str(c.get("id")) for c in found if isinstance(c, dict) and str(c.get("email", "")).lower() == email]
    return ids[0] if ids else None


def _candidate_body(call: WriteCall[Body]) -> Raw:
    c = call.body.candidate
    body: Raw = {"firstName": c.first_name, "lastName": c.last_name, "email": c.email_address}
    if c.phone_number:
        body["cellphone"] = c.phone_number
    if c.location:
        body.update({k: v for k, v in (("city", c.location.city), ("state", c.location.state),
                                       ("zipCode", c.location.zip_code)) if v})  # fmt: skip
    extra = call.remote_fields.get("candidate")
    return {**body, **extra} if isinstance(extra, dict) else body


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    email, job_id = call.body.candidate.email_address.lower(), str(call.job_remote_id or "")
    if not job_id.isdigit():
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no JobDiva id")

    async def create_candidate() -> str:
        return _number(await _post(source, "createCandidate", _candidate_body(call)), "the candidate")

    async def find_candidate(_marker: object) -> str | None:
        return await _search(source, email)

    cand_id = await _search(source, email) or await call.once_id(
        "candidate", create_candidate, find=find_candidate, marker=email
    )

    async def find(marker: object) -> Raw | None:
        rows = await _report(source, "NewUpdatedActivityRecords", marker)
        return next((r for r in rows if (m.first(r, "CANDIDATEID"), m.first(r, "JOBID")) == (cand_id, job_id)), None)

    async def create() -> Raw:
        started = call.progress.get("application_create_started")
        if await _post(source, "createJobApplication", {"candidateid": int(cand_id), "jobid": int(job_id)}) != "true":
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "JobDiva did not confirm the job application")
        found = await find(started)
        if found is None:  # retryable: the intent stays, so a retry looks again instead of posting twice
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "JobDiva accepted the application but does not list it yet",
                              retryable=True)  # fmt: skip
        return found

    activity = await call.once("application", create, find=find, id_of=lambda raw: raw["ACTIVITYID"])
    detail = await source.get_json(f"{BI}/CandidateDetail", {"candidateId": cand_id})
    rows = [r for r in (detail or {}).get("data") or [] if isinstance(r, dict)]
    warnings = []
    if call.files or call.answers:
        warnings.append("JobDiva's job application takes no files or screening answers: not sent")
    if call.stage:
        warnings.append("JobDiva has no pipeline stages: the application starts as JobDiva creates it")
    records = [("applications", activity)] + [("candidates", r) for r in rows[:1]]
    return WriteResult(records, warnings, {"application_remote_id": str(activity["ACTIVITYID"]),
                                           "candidate_remote_id": cand_id})  # fmt: skip


ACTIONS = WRITES.actions()
