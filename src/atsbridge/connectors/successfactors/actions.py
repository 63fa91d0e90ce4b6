"""SuccessFactors writes (reference §2.7). Every POST that creates goes through create-once; ``upsert`` (an
idempotent merge) does moves. ``remote_fields.successfactors`` (contract Appendix A): ``Candidate`` and
``JobApplication`` objects are merged into the created rows (create_application) and ``JobApplication`` into
the move's upsert; ``update_existing_candidate`` merges the candidate's fields into a candidate found by
e-mail; ``copyJobApplicationAttachments`` is sent on the application as SuccessFactors' own flag [conn Kombo].

* create_application: the candidate is found by ``primaryEmail`` or created (``POST Candidate``; SuccessFactors
  requires ``country``: the candidate's location country or ``remote_fields.successfactors.Candidate.country``,
  else the vendor's refusal is passed on), then ``POST JobApplication`` (found again by candidate and
  requisition on a retry), then a move when a stage was named. Attachments and screening answers are not
  sent: files go through the ``resume``/``coverLetter`` navigations whose shape is only [3p]; a warning says so.
* move_application_to_stage: ``upsert`` of ``appStatusSetItemId`` (the id must be in the requisition's status
  set; system statuses are refused by SuccessFactors with its message, which is passed on).
* add_application_note: ``POST JobApplicationComments`` [gap: the fields ``applicationId``/``commentContent``
  are the Hub spec's names; the answer's key is read as ``commentId``], found again by its text on a retry.
* reject_application: a move to the rejection reason, which is a declining status of the set
  (``mappers.map_rejection_reasons``); the note becomes a comment. Result links become comments too.
* import_tracked_application: ``successfactors.application_remote_id``, read back.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.successfactors.streams import APP_LIST_PARAMS, APPLICATIONS, CANDIDATES
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate
odata = kit.odata
COMMENTS = "/JobApplicationComments"


WRITES = kit.WriteTable()


def _sub(call: WriteCall[Any], key: str) -> Raw:
    value = call.remote_fields.get(key)
    return dict(value) if isinstance(value, dict) else {}


async def _first(source: kit.KitSource, path: str, where: str, params: Raw | None = None) -> Raw | None:
    body = await source.get_json(path, {**(params or {}), "$filter": where, "$format": "json", "$top": 50})
    rows = odata.results((body or {}).get("d"))
    return rows[0] if rows else None


async def application(source: kit.KitSource, app_id: str) -> Raw:
    if not app_id.isdigit():
        raise RemoteError("REMOTE.INPUT_INVALID", f"SAP SuccessFactors application ids are numbers; got {app_id!r}")
    found = await _first(source, APPLICATIONS, f"applicationId eq {app_id}", APP_LIST_PARAMS)
    if found is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"SAP SuccessFactors has no application {app_id}", status=404)
    return found


async def _post(source: kit.KitSource, path: str, payload: Raw) -> Raw:
    response = await kit.create_request(source.client, "POST", path, json=payload, params={"$format": "json"})
    row = odata.entity(response.json())
    if row is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"POST {path}: no entity in the answer", retryable=True)
    return row


async def _upsert(source: kit.KitSource, payload: Raw) -> None:
    response = await source.client.request("POST", "/upsert", json=payload, params={"$format": "json"})
    odata.upsert_rows(response.json())


async def _move(source: kit.KitSource, app_id: str, item: str, extra: Raw) -> None:
    meta = {"uri": f"JobApplication(applicationId={app_id})", "type": "SFOData.JobApplication"}
    await _upsert(source, {**extra, "__metadata": meta, "appStatusSetItemId": item})


async def _candidate(source: kit.KitSource, call: WriteCall[Body]) -> Raw:
    c, sf = call.body.candidate, call.remote_fields
    extra = _sub(call, "Candidate")
    fields: Raw = {"firstName": c.first_name, "lastName": c.last_name, "primaryEmail": c.email_address}
    if c.phone_number:
        fields["cellPhone"] = c.phone_number
    if c.location is not None:
        fields.update({k: v for k, v in (("country", c.location.country), ("city", c.location.city)) if v})
    where = f"primaryEmail eq {odata.quote(c.email_address)}"

    async def find(_: Any) -> Raw | None:
        return await _first(source, CANDIDATES, where)

    existing = await find(None)
    if existing is not None:
        if sf.get("update_existing_candidate"):
            meta = {"uri": f"Candidate(candidateId={existing['candidateId']})", "type": "SFOData.Candidate"}
            await _upsert(source, {**fields, **extra, "__metadata": meta})
        return existing

    async def create() -> Raw:
        return await _post(source, CANDIDATES, {**fields, **extra})

    async def fetch(cid: str) -> Raw:
        return await _first(source, CANDIDATES, f"candidateId eq {cid}") or {"candidateId": cid}

    return await call.once("candidate", create, find=find, fetch=fetch, marker=c.email_address.lower(),
                           id_of=lambda row: row["candidateId"])  # fmt: skip


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    job_id = str(call.job_remote_id)
    candidate = await _candidate(source, call)
    cid = str(candidate["candidateId"])
    payload: Raw = {"candidateId": cid, "jobReqId": job_id, "firstName": call.body.candidate.first_name,
                    "lastName": call.body.candidate.last_name, "contactEmail": call.body.candidate.email_address,
                    **_sub(call, "JobApplication")}  # fmt: skip
    if "copyJobApplicationAttachments" in call.remote_fields:
        payload["copyJobApplicationAttachments"] = bool(call.remote_fields["copyJobApplicationAttachments"])

    async def find(_: Any) -> Raw | None:
        where = f"candidateId eq {cid} and jobReqId eq {job_id}"
        return await _first(source, APPLICATIONS, where, APP_LIST_PARAMS)

    async def create() -> Raw:
        return await _post(source, APPLICATIONS, payload)

    async def fetch(app_id: str) -> Raw:
        return await application(source, app_id)

    app = await call.once("application", create, find=find, fetch=fetch, marker=cid,
                          id_of=lambda row: row["applicationId"])  # fmt: skip
    app_id = str(app["applicationId"])
    item = str(((call.stage or {}).get("custom_fields") or {}).get("appStatusId") or "")
    if item and item != str(app.get("appStatusSetItemId")):
        await _move(source, app_id, item, {})
    app = await application(source, app_id)
    warnings = []
    if call.files or call.answers:
        warnings.append("SAP SuccessFactors: attachments and screening answers were not sent (no documented "
                        "upload for API-created applications)")  # fmt: skip
    return WriteResult([("applications", app), ("candidates", candidate)], warnings,
                       {"application_remote_id": app_id, "candidate_remote_id": cid})  # fmt: skip


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    app_id = str((call.application or {}).get("remote_id"))
    job_id, _, item = str((call.stage or {}).get("remote_id") or "").partition(":")
    current = await application(source, app_id)
    if not item or job_id != str(current.get("jobReqId")):
        raise RemoteError("REMOTE.INPUT_INVALID", "the stage is not in the status set of the application's requisition")
    await _move(source, app_id, item, _sub(call, "JobApplication"))
    return WriteResult([("applications", await application(source, app_id))])


async def _comment(source: kit.KitSource, call: WriteCall[Any], key: str, app_id: str, text: str) -> str:
    """A ``JobApplicationComments`` row, created once (found again by its text on a retry)."""

    async def find(_: Any) -> Raw | None:
        body = await source.get_json(COMMENTS, {"$filter": f"applicationId eq {app_id}", "$format": "json"})
        rows = odata.results((body or {}).get("d"))
        return next((r for r in reversed(rows) if r.get("commentContent") == text), None)

    async def create() -> Raw:
        return await _post(source, COMMENTS, {"applicationId": app_id, "commentContent": text})

    return str((await call.once(key, create, find=find, id_of=lambda row: row["commentId"]))["commentId"])


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    app_id = str((call.application or {}).get("remote_id"))
    note_id = await _comment(source, call, "note", app_id, call.body.content)
    # the application again, with its comments: the new note is served at once (write-through)
    return WriteResult([("applications", await application(source, app_id))], created={"note_remote_id": note_id})


@WRITES.reject
async def reject(source: kit.KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    """A rejection reason is a declining status of the requisition's set (``mappers.rejection_reasons``):
    set it (SuccessFactors refuses one from another set with its message); the note becomes a comment."""
    app_id = str((call.application or {}).get("remote_id"))
    await application(source, app_id)
    await _move(source, app_id, str((call.rejection_reason or {}).get("remote_id")), {})
    if call.body.note:
        await _comment(source, call, "rejection_note", app_id, call.body.note)
    return WriteResult([("applications", await application(source, app_id))])


@WRITES.result_link
async def add_result_link(source: kit.KitSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    """No result links in SuccessFactors: a comment on the application (for a candidate: its first one)."""
    app_id = (call.application or {}).get("remote_id")
    if app_id is None:
        apps = (call.candidate or {}).get("applications") or []
        app_id = apps[0].get("remote_id") if apps else None
    if app_id is None:
        raise RemoteError("REMOTE.INPUT_INVALID", "SAP SuccessFactors keeps comments on applications; none found")
    note_id = await _comment(source, call, "note", str(app_id), kit.result_link_text(call.body))
    return WriteResult([("applications", await application(source, str(app_id)))],
                       [kit.result_link_warning("SAP SuccessFactors")], {"note_remote_id": note_id})  # fmt: skip


@WRITES.import_tracked
async def import_tracked(source: kit.KitSource, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    rid = kit.tracked_id(call.body, "successfactors", "SAP SuccessFactors", r"^\d{1,20}$")
    found = await application(source, rid)
    created = {"application_remote_id": str(found["applicationId"]), "candidate_remote_id": str(found["candidateId"])}
    return WriteResult([("applications", found)], created=created)


ACTIONS = WRITES.actions()
