"""Jobvite's one documented v2 write: ``POST /api/v2/candidate`` creates a candidate with one application on
a requisition [3p production config, reference §1.7].

Body ``{"candidate": {"email", "firstName", "lastName", "mobile", "sendEmail", "application": {"jobEId",
"sourceType", "source", "resume": {"name", "contentByteArray" (base64), "format": "ByteArray"}}}}``; the answer
names the new ids with a capital ``EId`` (``application.EId``, ``application.candidate.EId``; reads say
``eId``). Errors 400/404/409, with HTTP 200 like every Jobvite error (see ``api``): 409 is the candidate
already applied to that requisition.

The POST is not idempotent: it goes through ``call.once``. Its ``find`` lists the candidate rows updated since
the day before the first try (``datestart``, the same filter the sync uses) and matches e-mail + requisition.
Only the first CV goes (as the inline resume); other files, screening answers and a starting stage have no
place in the body and are dropped with a warning. The created row is read back
(``GET /candidate?candidateId=&applicationId=``) and written through.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import dig
from atsbridge.connectors.jobvite.streams import UPDATED_SINCE
from atsbridge.connectors.kit.values import text
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate


WRITES = kit.WriteTable()


def _app_id(row: Raw) -> str:
    return str((row.get("application") or {}).get("eId") or "")


async def find_row(source: kit.KitSource, email: str, job_id: str, since_ms: int) -> Raw | None:
    """The candidate row of ``email`` on requisition ``job_id`` updated since ``since_ms`` (None: none)."""
    params = UPDATED_SINCE.params(datetime.fromtimestamp(since_ms / 1000, UTC))
    async for page in source.listing("candidates", "/candidate", params):
        for row in page:
            app = row.get("application") or {}
            if str(row.get("email") or "").lower() == email and str((app.get("job") or {}).get("eId")) == job_id:
                return dict(row)
    return None


async def read_row(source: kit.KitSource, candidate_id: str | None, application_id: str) -> Raw:
    params = {"applicationId": application_id, **({"candidateId": candidate_id} if candidate_id else {})}
    body = await source.get_json("/candidate", params)
    rows = [r for r in (body or {}).get("candidates") or [] if _app_id(r) == application_id]
    if not rows:  # retryable: the intent stays, so a retry looks again instead of posting twice
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Jobvite does not list application {application_id} yet",
                          retryable=True)  # fmt: skip
    return dict(rows[0])


def _payload(call: WriteCall[Body], warnings: list[str]) -> Raw:
    c, body = call.body.candidate, call.body
    application: Raw = {"jobEId": str(call.job_remote_id), "sourceType": "Other",
                        "source": (body.source.name if body.source and body.source.name else "atsbridge")}  # fmt: skip
    files = list(call.files) + [a.value for a in call.answers if a.type == "FILE"]
    cv = next((f for f in files if f.type == "CV"), None)
    if cv is not None:
        application["resume"] = {"name": cv.name, "contentByteArray": base64.b64encode(cv.content).decode(),
                                 "format": "ByteArray"}  # fmt: skip
    if len(files) > (cv is not None):
        warnings.append("Jobvite takes one resume on create: other files were not sent")
    if any(a.type != "FILE" for a in call.answers):
        warnings.append("Jobvite's candidate API takes no screening answers: they were not sent")
    if call.stage:
        warnings.append("Jobvite creates applications in the requisition's first workflow state: stage ignored")
    candidate: Raw = {"email": c.email_address, "firstName": c.first_name, "lastName": c.last_name,
                      "sendEmail": False, "application": application}  # fmt: skip
    if c.phone_number:
        candidate["mobile"] = c.phone_number
    for key, extra in (("candidate", candidate), ("application", application)):
        given = call.remote_fields.get(key)
        if isinstance(given, dict):
            extra.update(given)
    return {"candidate": candidate}


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    email, job_id = call.body.candidate.email_address.lower(), str(call.job_remote_id)
    warnings: list[str] = []
    payload = _payload(call, warnings)

    async def find(marker: Any) -> Raw | None:
        found = await find_row(source, email, job_id, int(marker))
        if found is not None:
            call.step("candidate_remote_id", str(found.get("eId")))
        return found

    async def create() -> Raw:
        try:
            response = await kit.create_request(source.client, "POST", "/candidate", json=payload)
        except RemoteError as exc:
            if exc.status == 409:
                raise AlreadyApplied(f"{email} already applied to requisition {job_id}: {exc.message}") from None
            raise
        answer = response.json()
        app_id = text(dig(answer, "application.EId")) or text(dig(answer, "application.eId"))
        cand_id = text(dig(answer, "application.candidate.EId")) or text(dig(answer, "application.candidate.eId"))
        if app_id is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Jobvite accepted the candidate but named no application",
                              retryable=True)  # fmt: skip
        call.step("candidate_remote_id", cand_id)
        return await read_row(source, cand_id, app_id)

    async def fetch(app_id: str) -> Raw:
        return await read_row(source, call.progress.get("candidate_remote_id"), app_id)

    row = await call.once("application", create, find=find, fetch=fetch, id_of=_app_id)
    return WriteResult([("candidates", row)], warnings,
                       {"application_remote_id": _app_id(row), "candidate_remote_id": str(row.get("eId"))})  # fmt: skip


ACTIONS = WRITES.actions()
