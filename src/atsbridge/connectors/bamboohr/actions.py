"""BambooHR writes: create an application on a job, change its status (move, reject, hire), comments.

What the API offers and how each contract action uses it:

* ``POST /applicant_tracking/application`` (multipart: ``firstName, lastName, jobId, email, phoneNumber, ...``
  plus one ``resume`` and one ``coverLetter`` file) answers ``{"result":"success","candidateId":61}`` where the
  id is the *application's*. It is not idempotent: the intent is recorded before the POST, and a resumed call
  looks the application up (job + applicant e-mail) before posting again.
* ``POST /applicant_tracking/applications/{id}/status {"status": <status id>}``: stages *are* statuses, and so
  are the rejection reasons (see the mappers), so move and reject are the same call.
* ``POST /applicant_tracking/applications/{id}/comments``: notes, and result links (as a comment, with a
  warning, as Kombo does for tools without result links). Comments cannot be listed back, so they are not
  written through to the store.
* No tags, no files on an existing application, no screening answers on create (BambooHR does not expose its
  questions): those actions are left out, and answers given on create are dropped with a warning.
* ``import_tracked_application`` takes the application id (``application_remote_id``: the contract has no
  BambooHR key).
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.bamboohr.api import ALL_APPLICATIONS, ATS, PAGER, with_code
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Created = bodies.CreateApplication | bodies.CreateCandidate
#: The contract's file types -> the two file fields BambooHR's form has.
FILE_FIELDS = {"CV": "resume", "COVER_LETTER": "coverLetter"}


WRITES = kit.WriteTable()


def _json(response: Any, path: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: the ATS answered with no JSON body") from None


async def detail(source: kit.KitSource, application_id: str) -> Raw:
    """The application as the sync reads it (with its status code), or INPUT_INVALID when it is gone."""
    try:
        found: Raw = await source.get_json(f"{ATS}/applications/{application_id}")
    except RemoteError as exc:
        if exc.status == 404:
            raise RemoteError("REMOTE.INPUT_INVALID", f"BambooHR has no application {application_id}") from None
        raise
    return await with_code(source, found)


def _form(candidate: bodies.NewCandidate, job_remote_id: str, source_name: str | None) -> dict[str, str]:
    form = {"firstName": candidate.first_name, "lastName": candidate.last_name, "jobId": job_remote_id,
            "email": candidate.email_address}  # fmt: skip
    if candidate.phone_number:
        form["phoneNumber"] = candidate.phone_number
    if source_name:
        form["source"] = source_name
    loc = candidate.location
    if loc is not None:
        optional = {"address": loc.street_1, "city": loc.city, "state": loc.state, "zip": loc.zip_code,
                    "country": loc.country}  # fmt: skip
        form.update({k: v for k, v in optional.items() if v})
    for link in candidate.social_links or []:
        form["linkedinUrl" if "linkedin." in link.url else "websiteUrl"] = link.url
    if candidate.availability_date is not None:
        form["dateAvailable"] = candidate.availability_date.date().isoformat()
    if candidate.salary_expectations is not None:
        form["desiredSalary"] = f"{candidate.salary_expectations.amount:g} per {candidate.salary_expectations.period}"
    return form


def _files(files: list[FileData]) -> tuple[dict[str, tuple[str, bytes, str]], list[str]]:
    """At most one resume and one cover letter; anything else is dropped with a warning."""
    picked: dict[str, tuple[str, bytes, str]] = {}
    dropped: list[str] = []
    for f in files:
        field = FILE_FIELDS.get(f.type)
        if field is None or field in picked:
            dropped.append(f.name)
            continue
        picked[field] = (f.name, f.content, f.content_type)
    warnings = [f"BambooHR takes one resume and one cover letter per application; not sent: {', '.join(dropped)}"]
    return picked, warnings if dropped else []


async def find_application(source: kit.KitSource, job_remote_id: str, email: str) -> str | None:
    """The newest application of ``email`` on the job (to resume a create whose answer was lost)."""
    params = {**ALL_APPLICATIONS, "jobId": job_remote_id, "searchString": email}
    found = [
        int(row["id"])
        async for page in source.listing("applications", f"{ATS}/applications", params, pager=PAGER,
                                         records_path="applications")
        for row in page
        if str((row.get("applicant") or {}).get("email") or "").lower() == email.lower()
        and str((row.get("job") or {}).get("id")) == str(job_remote_id)
    ]  # fmt: skip
    return str(max(found)) if found else None


async def _post_application(source: kit.KitSource, call: WriteCall[Created], files: dict[str, Any]) -> str:
    body = call.body
    form = _form(body.candidate, str(call.job_remote_id), body.source.name if body.source else None)
    form.update({k: str(v) for k, v in call.remote_fields.items() if isinstance(v, str | int | float)})
    path = f"{ATS}/application"
    created = _json(await kit.create_request(source.client, "POST", path, data=form, files=files or None), path)
    if not isinstance(created, dict) or created.get("candidateId") is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"BambooHR did not return the application id: {created!r}")
    return str(created["candidateId"])  # despite the name, the application's id


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Created]) -> WriteResult:
    """Not idempotent: created once; a resumed call looks the application up (job + applicant e-mail)."""
    email = call.body.candidate.email_address
    files, warnings = _files(list(call.files) + [a.value for a in call.answers if a.type == "FILE"])
    if any(a.type != "FILE" for a in call.answers):
        warnings.append("BambooHR takes no screening answers through its API; they were not sent")
    app_rid = await call.once_id(
        "application", lambda: _post_application(source, call, files), marker=email.lower(),
        find=lambda _mark: find_application(source, str(call.job_remote_id), email),
    )  # fmt: skip
    found = await detail(source, app_rid)
    stage_rid = (call.stage or {}).get("remote_id")
    if stage_rid and str((found.get("status") or {}).get("id")) != str(stage_rid):
        await _set_status(source, app_rid, stage_rid)
        found = await detail(source, app_rid)
    created = {"application_remote_id": app_rid, "candidate_remote_id": str(found["applicant"]["id"])}
    return WriteResult([("applications", found)], warnings, created)


async def _set_status(source: kit.KitSource, application_id: str, status_id: str) -> None:
    """Idempotent (setting the same status twice changes nothing), so retried like any request."""
    path = f"{ATS}/applications/{application_id}/status"
    await source.client.request("POST", path, json={"status": int(status_id)})


async def _comment(source: kit.KitSource, call: WriteCall[Any], key: str, application_id: str, text: str) -> str:
    """Created once. Comments cannot be listed back, but the application counts them (``commentCount``): the
    intent records the count before the POST, and a resumed call adopts the comment when the count grew (a
    comment someone else added meanwhile would be taken for it; its id is then unknown, like an answer
    without one)."""
    path = f"{ATS}/applications/{application_id}/comments"

    async def count() -> int:
        return int((await detail(source, application_id)).get("commentCount") or 0)

    async def create() -> Raw:
        made = _json(await kit.create_request(source.client, "POST", path, json={"type": "comment", "comment": text}),
                     path)  # fmt: skip
        return {"id": str(made.get("id") or "") if isinstance(made, dict) else ""}

    async def find(before: Any) -> Raw | None:
        return {"id": ""} if await count() > int(before) else None

    made = await call.once(key, create, find=find, marker=await count())
    return str(made["id"])


def _application_id(call: WriteCall[Any]) -> str:
    return str((call.application or {}).get("remote_id"))


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    app_rid = _application_id(call)
    await _set_status(source, app_rid, str((call.stage or {}).get("remote_id")))
    return WriteResult([("applications", await detail(source, app_rid))])


@WRITES.reject
async def reject(source: kit.KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    """The rejection reason is a rejecting status: set it; the note becomes a comment."""
    app_rid = _application_id(call)
    await _set_status(source, app_rid, str((call.rejection_reason or {}).get("remote_id")))
    if call.body.note:
        await _comment(source, call, "rejection_note", app_rid, call.body.note)
    return WriteResult([("applications", await detail(source, app_rid))])


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    note_id = await _comment(source, call, "note", _application_id(call), call.body.content)
    return WriteResult(created={"note_remote_id": note_id})


@WRITES.result_link
async def add_result_link(source: kit.KitSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    """No result links in BambooHR: a comment on the application (for a candidate: on its first one)."""
    app_rid = (call.application or {}).get("remote_id")
    if app_rid is None:
        apps = (call.candidate or {}).get("applications") or []
        app_rid = apps[0].get("remote_id") if apps else None
    if app_rid is None:
        raise RemoteError("REMOTE.INPUT_INVALID", "BambooHR keeps comments on applications; this candidate has none")
    note_id = await _comment(source, call, "note", str(app_rid), kit.result_link_text(call.body))
    warning = "BambooHR has no result links: the link was added as a comment on the application"
    return WriteResult(warnings=[warning], created={"note_remote_id": note_id})


@WRITES.import_tracked
async def import_tracked(source: kit.KitSource, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    rid = call.body.application_remote_id
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "BambooHR: give the application id as application_remote_id")
    found = await detail(source, rid)
    created = {"application_remote_id": str(found["id"]), "candidate_remote_id": str(found["applicant"]["id"])}
    return WriteResult([("applications", found)], created=created)


ACTIONS = WRITES.actions()
