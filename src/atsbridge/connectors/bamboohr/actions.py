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

from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.bamboohr.api import ATS, Pager, status_codes
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.connectors.http.source import HttpSource
from atsbridge.writes import bodies

Raw = dict[str, Any]
#: The contract's file types -> the two file fields BambooHR's form has.
FILE_FIELDS = {"CV": "resume", "COVER_LETTER": "coverLetter"}


async def _json(source: HttpSource, method: str, path: str, **kw: Any) -> Any:
    response = await source.client.request(method, path, **kw)
    try:
        return response.json()
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: the ATS answered with no JSON body") from None


async def detail(source: HttpSource, application_id: str) -> Raw:
    """The application as the sync reads it (with its status code), or INPUT_INVALID when it is gone."""
    try:
        found: Raw = await _json(source, "GET", f"{ATS}/applications/{application_id}")
    except RemoteError as exc:
        if exc.status == 404:
            raise RemoteError("REMOTE.INPUT_INVALID", f"BambooHR has no application {application_id}") from None
        raise
    codes = await status_codes(source)
    found["_status_code"] = codes.get(str((found.get("status") or {}).get("id")))
    return found


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


async def find_application(source: HttpSource, job_remote_id: str, email: str) -> str | None:
    """The newest application of ``email`` on the job (to resume a create whose answer was lost)."""
    params = {"applicationStatus": "ALL", "jobId": job_remote_id, "searchString": email}
    request = PageRequest("GET", f"{ATS}/applications", params)
    found: list[int] = []
    async for page in source.pages("applications", request, Pager(), "applications"):
        found += [
            int(row["id"])
            for row in page
            if str((row.get("applicant") or {}).get("email") or "").lower() == email.lower()
            and str((row.get("job") or {}).get("id")) == str(job_remote_id)
        ]
    return str(max(found)) if found else None


async def _post_application(source: HttpSource, call: WriteCall, body: Any, files: dict[str, Any]) -> str:
    form = _form(body.candidate, str(call.job_remote_id), body.source.name if body.source else None)
    form.update({k: str(v) for k, v in call.remote_fields.items() if isinstance(v, str | int | float)})
    call.step("application_create_started", body.candidate.email_address.lower())
    created = await _json(source, "POST", f"{ATS}/application", data=form, files=files or None, retry=False)
    if not isinstance(created, dict) or created.get("candidateId") is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"BambooHR did not return the application id: {created!r}")
    return str(created["candidateId"])  # despite the name, the application's id


async def create_application(source: HttpSource, call: WriteCall) -> WriteResult:
    body = call.body
    assert isinstance(body, bodies.CreateApplication | bodies.CreateCandidate)
    files, warnings = _files(list(call.files) + [a.value for a in call.answers if a.type == "FILE"])
    if any(a.type != "FILE" for a in call.answers):
        warnings.append("BambooHR takes no screening answers through its API; they were not sent")
    app_rid = call.progress.get("application_remote_id")
    if app_rid is None:
        if call.progress.get("application_create_started"):
            app_rid = await find_application(source, str(call.job_remote_id), body.candidate.email_address)
        if app_rid is None:
            app_rid = await _post_application(source, call, body, files)
        call.step("application_remote_id", app_rid)
    found = await detail(source, app_rid)
    stage_rid = (call.stage or {}).get("remote_id")
    if stage_rid and str((found.get("status") or {}).get("id")) != str(stage_rid):
        await _set_status(source, app_rid, stage_rid)
        found = await detail(source, app_rid)
    created = {"application_remote_id": app_rid, "candidate_remote_id": str(found["applicant"]["id"])}
    return WriteResult([("applications", found)], warnings, created)


async def _set_status(source: HttpSource, application_id: str, status_id: str) -> None:
    await _json(source, "POST", f"{ATS}/applications/{application_id}/status", json={"status": int(status_id)})


async def _comment(source: HttpSource, application_id: str, text: str) -> str:
    path = f"{ATS}/applications/{application_id}/comments"
    made = await _json(source, "POST", path, json={"type": "comment", "comment": text}, retry=False)
    return str(made.get("id")) if isinstance(made, dict) else ""


def _application_id(call: WriteCall) -> str:
    return str((call.application or {}).get("remote_id"))


async def move_stage(source: HttpSource, call: WriteCall) -> WriteResult:
    app_rid = _application_id(call)
    await _set_status(source, app_rid, str((call.stage or {}).get("remote_id")))
    return WriteResult([("applications", await detail(source, app_rid))])


async def reject(source: HttpSource, call: WriteCall) -> WriteResult:
    """The rejection reason is a rejecting status: set it; the note becomes a comment."""
    assert isinstance(call.body, bodies.Reject)
    app_rid = _application_id(call)
    await _set_status(source, app_rid, str((call.rejection_reason or {}).get("remote_id")))
    if call.body.note:
        await _comment(source, app_rid, call.body.note)
    return WriteResult([("applications", await detail(source, app_rid))])


async def add_note(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.Note)
    note_id = await _comment(source, _application_id(call), call.body.content)
    return WriteResult(created={"note_remote_id": note_id})


def _link_text(body: bodies.ResultLink) -> str:
    lines = [f"{body.label}: {body.url}"]
    if body.details:
        prefix = body.details.custom_field_name_prefix
        lines += [f"{prefix} {a.key}: {a.value}" for a in body.details.attributes]
    return "\n".join(lines)


async def add_result_link(source: HttpSource, call: WriteCall) -> WriteResult:
    """No result links in BambooHR: a comment on the application (for a candidate: on its first one)."""
    assert isinstance(call.body, bodies.ResultLink)
    app_rid = (call.application or {}).get("remote_id")
    if app_rid is None:
        apps = (call.candidate or {}).get("applications") or []
        app_rid = apps[0].get("remote_id") if apps else None
    if app_rid is None:
        raise RemoteError("REMOTE.INPUT_INVALID", "BambooHR keeps comments on applications; this candidate has none")
    note_id = await _comment(source, str(app_rid), _link_text(call.body))
    warning = "BambooHR has no result links: the link was added as a comment on the application"
    return WriteResult(warnings=[warning], created={"note_remote_id": note_id})


async def import_tracked(source: HttpSource, call: WriteCall) -> WriteResult:
    assert isinstance(call.body, bodies.ImportTracked)
    rid = call.body.application_remote_id
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "BambooHR: give the application id as application_remote_id")
    found = await detail(source, rid)
    created = {"application_remote_id": str(found["id"]), "candidate_remote_id": str(found["applicant"]["id"])}
    return WriteResult([("applications", found)], created=created)


ACTIONS = {
    "create_application": create_application,
    "move_application_to_stage": move_stage,
    "reject_application": reject,
    "add_application_note": add_note,
    "add_application_result_link": add_result_link,
    "add_candidate_result_link": add_result_link,
    "import_tracked_application": import_tracked,
}
