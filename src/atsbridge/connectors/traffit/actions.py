"""TRAFFIT writes [3p: the ``employee`` scope covers creating employees and their notes; an MCP exposes "add
candidate note"]: create an application (an employee, then the employee added to the recruitment) and add a
note. Every POST is non-idempotent and goes through create-once; ``find`` reads the vendor back (employees by
e-mail with ``X-Request-Filter``, the recruitment's employees, the employee's notes by text).

TRAFFIT notes hang off the employee, not one recruitment: an application note is written to the application's
employee. Stage moves, rejections, tags and file uploads are not declared: no source confirms an endpoint or a
body for them (see ``unavailable=`` in the package).
"""

from __future__ import annotations

from typing import Any

import orjson

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.traffit.api import FILTER, application_id, split_application_id
from atsbridge.connectors.traffit.mappers import note_text
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate


WRITES = kit.WriteTable()


def _employee_of(call: WriteCall[Any]) -> tuple[str, str]:
    """(recruitment id, employee id) of the application written to."""
    pair = split_application_id(str((call.application or {}).get("remote_id") or ""))
    if pair is None:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no TRAFFIT application to write to")
    return pair


def _created(response_json: Any, what: str) -> Raw:
    if isinstance(response_json, dict) and response_json.get("id") is not None:
        return response_json
    raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"TRAFFIT answered a new {what} without an id", retryable=True)


async def _notes(source: kit.KitSource, employee: str) -> list[Raw]:
    return await source.all_records("notes", f"/employees/{employee}/notes")


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    """``POST /employees/{id}/notes`` ``{content}``; a retry finds the note by its text (newest first)."""
    _, employee = _employee_of(call)
    text = call.body.content

    async def create() -> Raw:
        path = f"/employees/{employee}/notes"
        response = await kit.create_request(source.client, "POST", path, json={"content": text})
        return _created(response.json(), "note")

    async def find(_: Any) -> Raw | None:
        return next((n for n in reversed(await _notes(source, employee)) if note_text(n) == text.strip()), None)

    note = await call.once("note", create, find=find)
    return WriteResult([("notes", {**note, "_employee": {"id": employee}})],
                       created={"note_remote_id": str(note["id"])})  # fmt: skip


def _employee_body(call: WriteCall[Create]) -> Raw:
    c = call.body.candidate
    body: Raw = {"first_name": c.first_name, "last_name": c.last_name, "email": c.email_address}
    if c.phone_number:
        body["phone"] = c.phone_number
    if c.location:
        body.update({k: v for k, v in (("city", c.location.city), ("country", c.location.country)) if v})
    if call.body.source and call.body.source.name:
        body["source"] = call.body.source.name
    return body


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    """``POST /employees`` (reused when the e-mail is known, as TRAFFIT keeps one person per e-mail), then
    ``POST /recruitments/{id}/employees`` ``{employee_id}`` [3p, unverified]. The employee starts in the
    workflow's first state: no documented write places it elsewhere."""
    recruitment = str(call.job_remote_id or (call.job or {}).get("remote_id") or "")
    if not recruitment.isdigit():
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no TRAFFIT recruitment id")
    body = _employee_body(call)
    email = str(body["email"]).strip().lower()
    warnings: list[str] = []

    async def find_employee(_: Any) -> Raw | None:
        header = orjson.dumps({"email": {"value": email, "comparison": "="}}).decode()
        rows = await source.all_records("employees", "/employees", {FILTER: header})
        return next((r for r in rows if str(r.get("email") or "").strip().lower() == email), None)

    async def create_employee() -> Raw:
        response = await kit.create_request(source.client, "POST", "/employees", json=body)
        return _created(response.json(), "employee")

    employee = await find_employee(None) or await call.once("candidate", create_employee, find=find_employee,
                                                             marker=email)  # fmt: skip
    employee_id = str(employee["id"])
    path = f"/recruitments/{recruitment}/employees"

    async def find_link(_: Any) -> Raw | None:
        rows = await source.all_records("recruitment_employees", path)
        return next((r for r in rows if str(r.get("employee_id")) == employee_id), None)

    async def link() -> Raw:
        response = await kit.create_request(source.client, "POST", path, json={"employee_id": int(employee_id)})
        row = response.json()
        return row if isinstance(row, dict) and row.get("employee_id") is not None else {"employee_id": employee_id}

    row = await find_link(None) or await call.once("application", link, find=find_link)
    if call.stage:
        warnings.append("TRAFFIT's API documents no way to set the workflow state: the application starts in the "
                        "workflow's first state")  # fmt: skip
    if call.files or call.answers:
        warnings.append("TRAFFIT's API documents no file upload or screening answers: they were not sent")
    rid = application_id(recruitment, employee_id)
    app = {**row, "employee_id": row.get("employee_id", employee_id), "_recruitment": {"id": recruitment}}
    return WriteResult([("employees", employee), ("recruitment_employees", app)], warnings,
                       {"application_remote_id": str(rid), "candidate_remote_id": employee_id})  # fmt: skip


ACTIONS = WRITES.actions()
