"""Sage HR's one write: ``POST /recruitment/positions/{id}/applicants`` (an applicant on a position, with one
attached file) [doc-derived].

The POST is not idempotent: it runs through ``call.once``, whose ``find`` lists the position's applicants and
matches the e-mail (the only way to search). The answer is ``{data: {id}}``; the applicant is then re-read
(``GET /recruitment/applicants/{id}``, which names its ``position_id``) and mapped by the ``applicants``
stream. Without a file the body is JSON ``{"applicant": {...}}`` (the documented curl example); with one it is
multipart with ``applicant[...]`` fields and ``applicant[attachment]`` — one file only (the CV first), the
rest are named in a warning. ``applicant[source]``: the source's name (Sage HR creates a custom source for an
unknown name; blank becomes ``api``) [doc]. Stages, screening answers and the thank-you e-mail cannot be set
through the API: a requested stage or answers give a warning instead.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, JobClosed, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate
#: Unified job statuses of positions that take no applicants (Sage HR: "must not be closed or completed").
CLOSED = ("CLOSED", "ARCHIVED")


WRITES = kit.WriteTable()


def _fields(call: WriteCall[Body]) -> Raw:
    c = call.body.candidate
    fields: Raw = {"first_name": c.first_name, "last_name": c.last_name, "email": c.email_address}
    if c.phone_number:
        fields["phone_number"] = c.phone_number
    if c.location:
        address = ", ".join(p for p in (c.location.city, c.location.zip_code, c.location.country) if p)
        if address:
            fields["address"] = address
    if call.body.source and call.body.source.name:
        fields["source"] = call.body.source.name
    return fields


def _files(call: WriteCall[Body]) -> list[FileData]:
    files = list(call.files) + [a.value for a in call.answers if isinstance(a.value, FileData)]
    return sorted(files, key=lambda f: f.type != "CV")  # the CV first: only one file goes


def _warnings(call: WriteCall[Body], files: list[FileData]) -> list[str]:
    out = [f"Sage HR takes one file per applicant: {f.name} was not sent" for f in files[1:]]
    if any(not isinstance(a.value, FileData) for a in call.answers):
        out.append("Sage HR's API takes no screening answers: they were not sent")
    if call.stage:
        out.append("Sage HR's API cannot place an applicant in a stage: it starts in the position's first stage")
    return out


async def _applicant(source: kit.KitSource, applicant_id: str, position: str) -> Raw:
    body = await source.get_json(f"/recruitment/applicants/{applicant_id}")
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or data.get("id") is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Sage HR answered an applicant without an id", retryable=True)
    return {**data, "_position": {"id": data.get("position_id") or position}}


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    position = str(call.job_remote_id or (call.job or {}).get("remote_id") or "")
    if not position:
        raise RemoteError("REMOTE.INPUT_INVALID", "this job has no Sage HR position to apply to")
    if str((call.job or {}).get("status") or "") in CLOSED:
        raise JobClosed(f"Sage HR position {position} is {call.job and call.job.get('status')}: it takes no applicants")
    fields, files = _fields(call), _files(call)
    email = str(fields["email"] or "").lower()
    path = f"/recruitment/positions/{position}/applicants"

    async def create() -> Raw:
        if files:
            f = files[0]
            data = {f"applicant[{k}]": str(v) for k, v in fields.items() if v is not None}
            upload = {"applicant[attachment]": (f.name, f.content, f.content_type)}
            response = await kit.create_request(source.client, "POST", path, data=data, files=upload)
        else:
            response = await kit.create_request(source.client, "POST", path, json={"applicant": fields})
        made = response.json()
        data_out = made.get("data") if isinstance(made, dict) else None
        if not isinstance(data_out, dict) or data_out.get("id") is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Sage HR created the applicant but named no id",
                              retryable=True)  # fmt: skip
        return dict(data_out)

    async def find(_: Any) -> Raw | None:
        rows = await source.all_records("applicants", path)
        return next((r for r in rows if str(r.get("email") or "").lower() == email), None)

    made = await call.once("applicant", create, find=find, marker=email)
    applicant = await _applicant(source, str(made["id"]), position)
    rid = str(applicant["id"])
    return WriteResult([("applicants", applicant)], _warnings(call, files),
                       {"application_remote_id": rid, "candidate_remote_id": rid})  # fmt: skip


ACTIONS = WRITES.actions()
