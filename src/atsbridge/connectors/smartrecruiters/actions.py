"""SmartRecruiters writes (Customer API), each returning the candidate exactly as the sync maps it.

* Create: ``POST /jobs/{jobId}/candidates`` (candidate + application in one call; ``remote_fields.candidate``
  is merged into the body) records its intent first and is never blind-retried; a resumed call looks the
  candidate up by e-mail (``/candidates?q=``) on that job before posting again. Then the stage
  (``PUT .../status``) and the files (``POST /candidates/{id}/jobs/{jobId}/attachments``), each a recorded step.
  Screening answers belong to the Application API's postings flow, not this one: dropped with a warning.
* Move / reject: ``PUT /candidates/{id}/jobs/{jobId}/status`` with ``status``/``subStatus`` (from the stage's
  ``custom_fields``) or ``REJECTED`` + ``reason``.
* Notes (and result links, as notes with a warning): the Message API, ``POST /messages/shares`` shared with
  the job's hiring team. Notes are not read back (no list endpoint), so nothing is written through for them.
* Tags: ``POST /candidates/{id}/tags`` adds; removal reads the tags and ``PUT``s the rest (PUT replaces all).
* Files: ``POST /candidates/{id}/attachments`` or, for an application, ``/candidates/{id}/jobs/{jobId}/attachments``.
* Import: the contract's ``smartrecruiters.candidate_remote_id`` + ``job_remote_id``.

Non-idempotent POSTs go through ``call.once``: the candidate create reconciles by e-mail; notes cannot be
searched (no documented message listing), so a note whose answer was lost is refused on retry, never doubled.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit import KitSource as HttpSource
from atsbridge.connectors.smartrecruiters import api
from atsbridge.connectors.smartrecruiters import mappers as m
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
FILE_TYPES = {"CV": "RESUME", "COVER_LETTER": "COVER_LETTER", "OTHER": "GENERIC"}


WRITES = kit.WriteTable()


async def _json(source: HttpSource, method: str, path: str, *, once: bool = False, **kw: Any) -> Any:
    """One request under the concurrency cap; ``once``: a create, never blindly re-sent (:func:`kit.create_request`)."""
    if once:
        async with await api.gate(source):
            response = await kit.create_request(source.client, method, path, **kw)
    else:
        response = await api.send(source, method, path, **kw)
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: the ATS answered with a broken body") from None


def _ids(call: WriteCall[Any]) -> tuple[str, str | None]:
    """(candidate id, job id) of the call's application, or of its candidate."""
    app_rid = (call.application or {}).get("remote_id")
    if app_rid:
        candidate_id, _, job_id = str(app_rid).partition(":")
        return candidate_id, job_id
    return str((call.candidate or {}).get("remote_id")), None


async def _result(source: HttpSource, candidate_id: str, **created: Any) -> WriteResult:
    return WriteResult([("candidates", await api.candidate_record(source, candidate_id))], created=created)


# ---------------------------------------------------------------------------------------------- create
def _candidate_body(c: bodies.NewCandidate, remote: Raw) -> Raw:
    body: Raw = {"firstName": c.first_name, "lastName": c.last_name, "email": c.email_address}
    if c.phone_number:
        body["phoneNumber"] = c.phone_number
    if c.location is not None:
        loc = {"country": c.location.country, "city": c.location.city, "region": c.location.state}
        body["location"] = {k: v for k, v in loc.items() if v}
    web = {("linkedin" if "linkedin." in s.url else "website"): s.url for s in c.social_links or []}
    if web:
        body["web"] = web
    if c.company or c.title:
        body["experience"] = [{"company": c.company, "title": c.title, "current": True}]
    extra = remote.get("candidate")
    return {**body, **extra} if isinstance(extra, dict) else body


async def find_candidate(source: HttpSource, email: str, job_id: str) -> str | None:
    """A candidate with this e-mail already assigned to the job (a create whose answer was lost)."""
    found = await api.get_json(source, "/candidates", {"q": email, "limit": 100})
    for summary in (found or {}).get("content") or []:
        if str(summary.get("email") or "").lower() == email.lower() and job_id in api.assignments(summary):
            return str(summary["id"])
    return None


async def _create_candidate(source: HttpSource, call: WriteCall[Any], job_id: str) -> str:
    email = call.body.candidate.email_address

    async def create() -> str:
        payload = _candidate_body(call.body.candidate, call.remote_fields)
        made = await _json(source, "POST", f"/jobs/{job_id}/candidates", json=payload, once=True)
        if not isinstance(made, dict) or not made.get("id"):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "SmartRecruiters did not return the new candidate's id")
        return str(made["id"])

    return await call.once_id("candidate", create, find=lambda mark: find_candidate(source, mark, job_id),
                              marker=email.lower())  # fmt: skip


async def _upload(source: HttpSource, path: str, f: FileData) -> Raw:
    files = {"file": (f.name, f.content, f.content_type)}
    made = await _json(source, "POST", path, data={"attachmentType": FILE_TYPES.get(f.type, "GENERIC")},
                       files=files, once=True)  # fmt: skip
    return made if isinstance(made, dict) else {}


@WRITES.create
async def create_application(source: HttpSource, call: WriteCall[Any]) -> WriteResult:
    job_id = str(call.job_remote_id)
    cid = await _create_candidate(source, call, job_id)
    stage = (call.stage or {}).get("custom_fields") or {}
    if stage.get("status") and not call.progress.get("stage_set"):
        app = await api.get_json(source, f"/candidates/{cid}/jobs/{job_id}")
        if (app.get("status"), app.get("subStatus")) != (stage["status"], stage.get("subStatus")):
            await _set_status(source, cid, job_id, {"status": stage["status"], "subStatus": stage.get("subStatus")})
        call.step("stage_set", True)
    for i, f in enumerate(list(call.files) + [a.value for a in call.answers if a.type == "FILE"]):
        if not call.progress.get(f"attachment_{i}_remote_id"):
            made = await _upload(source, f"/candidates/{cid}/jobs/{job_id}/attachments", f)
            call.step(f"attachment_{i}_remote_id", made.get("id") or f.name)
    warnings = []
    if any(a.type != "FILE" for a in call.answers):
        warnings.append("SmartRecruiters' Customer API takes no screening answers; they were not sent")
    result = await _result(source, cid, application_remote_id=m.application_remote_id(cid, job_id),
                           candidate_remote_id=cid)  # fmt: skip
    result.warnings = warnings
    return result


# ------------------------------------------------------------------------------------- status changes
async def _set_status(source: HttpSource, cid: str, job_id: str, body: Raw) -> None:
    await _json(source, "PUT", f"/candidates/{cid}/jobs/{job_id}/status", json={k: v for k, v in body.items() if v})


@WRITES.move
async def move_stage(source: HttpSource, call: WriteCall[Any]) -> WriteResult:
    cid, job_id = _ids(call)
    stage = (call.stage or {}).get("custom_fields") or {}
    await _set_status(source, cid, str(job_id), {"status": stage.get("status"), "subStatus": stage.get("subStatus")})
    return await _result(source, cid)


async def _note(source: HttpSource, call: WriteCall[Any], cid: str, job_id: str | None, text: str) -> str:
    share: Raw = {"hiringTeamOf": [job_id]} if job_id else {"everyone": True}
    body = {"content": text, "correlationId": cid, "shareWith": share}

    async def create() -> str:
        made = await _json(source, "POST", "/messages/shares", json=body, once=True)
        return str((made or {}).get("id") or "")

    return await call.once_id("note", create, find=None)  # no documented listing of messages to reconcile


@WRITES.reject
async def reject(source: HttpSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    cid, job_id = _ids(call)
    reason = (call.rejection_reason or {}).get("remote_id")
    await _set_status(source, cid, str(job_id), {"status": "REJECTED", "reason": reason})
    if call.body.note:
        await _note(source, call, cid, job_id, call.body.note)
    return await _result(source, cid)


# ------------------------------------------------------------------------------- notes, links, files
@WRITES.note
async def add_note(source: HttpSource, call: WriteCall[bodies.Note]) -> WriteResult:
    cid, job_id = _ids(call)
    return WriteResult(created={"note_remote_id": await _note(source, call, cid, job_id, call.body.content)})


@WRITES.result_link
async def add_result_link(source: HttpSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    cid, job_id = _ids(call)
    note_id = await _note(source, call, cid, job_id, kit.result_link_text(call.body))
    return WriteResult(warnings=[kit.result_link_warning("SmartRecruiters")], created={"note_remote_id": note_id})


@WRITES.attachment
async def add_attachment(source: HttpSource, call: WriteCall[Any]) -> WriteResult:
    cid, job_id = _ids(call)
    path = f"/candidates/{cid}/jobs/{job_id}/attachments" if job_id else f"/candidates/{cid}/attachments"
    made = await _upload(source, path, call.files[0])
    return await _result(source, cid, attachment_remote_id=m.attachment_remote_id(cid, str(made.get("id"))))


# ------------------------------------------------------------------------------------------------ tags
@WRITES.add_tag
async def add_tag(source: HttpSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    cid, _ = _ids(call)
    await _json(source, "POST", f"/candidates/{cid}/tags", json={"tags": [call.body.tag.name.strip()]})
    return await _result(source, cid)


@WRITES.remove_tag
async def remove_tag(source: HttpSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    cid, _ = _ids(call)
    current = (await api.get_json(source, f"/candidates/{cid}/tags") or {}).get("tags") or []
    kept = kit.without_tag([str(t) for t in current], call.body.tag.name)
    if kept is None:
        return WriteResult(warnings=[kit.missing_tag_warning(call.body.tag.name)])
    await _json(source, "PUT", f"/candidates/{cid}/tags", json={"tags": kept})
    return await _result(source, cid)


@WRITES.import_tracked
async def import_tracked(source: HttpSource, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    ids = call.body.smartrecruiters
    if ids is None:
        raise RemoteError("REMOTE.INPUT_INVALID", "SmartRecruiters: give smartrecruiters.candidate_remote_id and "
                          "job_remote_id")  # fmt: skip
    app = await api.get_or_none(source, f"/candidates/{ids.candidate_remote_id}/jobs/{ids.job_remote_id}")
    if app is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"SmartRecruiters: candidate {ids.candidate_remote_id} has no "
                          f"application to job {ids.job_remote_id}")  # fmt: skip
    app_rid = m.application_remote_id(ids.candidate_remote_id, ids.job_remote_id)
    return await _result(source, ids.candidate_remote_id, application_remote_id=app_rid,
                         candidate_remote_id=ids.candidate_remote_id)  # fmt: skip


ACTIONS = WRITES.actions()
