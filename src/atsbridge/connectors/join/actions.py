"""JOIN's one write: ``POST /applications`` (reference §2.7 [conn]), documents inline as base64.

The POST is not idempotent: it goes through ``call.once``, whose ``find`` lists the applications updated since
the intent was recorded (``updatedAtGte``) and matches the candidate's e-mail and the job. The request also
carries ``integrationExternalId`` (this call's integration and idempotency key) as JOIN suggests for creates.
A refusal whose message says "already exists" is the candidate having applied already.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, FileData, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate
DOCUMENT = {"CV": "CV", "COVER_LETTER": "COVER_LETTER", "OTHER": "OTHER"}
#: The contract's source keys -> JOIN's source enum (anything else: OTHER).
SOURCES = ("ORGANIC", "REFERRALS", "JOB_BOARDS", "SOCIAL_MEDIA", "AGENCY", "SOURCING_TOOLS", "EVENTS",
           "INTERNAL_APPLICATION", "OTHER")  # fmt: skip


WRITES = kit.WriteTable()


def _job_id(call: WriteCall[Body]) -> int:
    raw = str(call.job_remote_id or (call.job or {}).get("remote_id") or "")
    if not raw.isdigit():
        raise RemoteError("REMOTE.INPUT_INVALID", f"JOIN job ids are numbers, not {raw[:40]!r}")
    return int(raw)


def _payload(call: WriteCall[Body], job_id: int) -> Raw:
    c = call.body.candidate
    candidate: Raw = {"email": c.email_address, "firstName": c.first_name, "lastName": c.last_name}
    if c.phone_number:
        candidate["phone"] = c.phone_number
    source = str((call.body.source.name if call.body.source else None) or "OTHER").upper().replace(" ", "_")
    files: list[FileData] = list(call.files) + [a.value for a in call.answers if isinstance(a.value, FileData)]
    documents = [{"type": DOCUMENT.get(f.type, "OTHER"), "name": f.name, "data": base64.b64encode(f.content).decode()}
                 for f in files]  # fmt: skip
    payload: Raw = {"jobId": job_id, "candidate": candidate, "source": source if source in SOURCES else "OTHER",
                    "integrationExternalId": f"atsbridge:{call.integration_id}:{call.job_remote_id or job_id}:"
                                             f"{c.email_address.lower()}"}  # fmt: skip
    if documents:
        payload["documents"] = documents
    extra = call.remote_fields.get("application")
    return {**payload, **extra} if isinstance(extra, dict) else payload


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    job_id = _job_id(call)
    email = call.body.candidate.email_address.lower()
    payload = _payload(call, job_id)

    async def find(started_ms: Any) -> Raw | None:
        since = datetime.fromtimestamp(int(started_ms) / 1000, UTC) - timedelta(minutes=5)
        rows = await source.all_records("applications", "/applications", {"updatedAtGte": since.isoformat()})
        return next((r for r in rows if str(r.get("jobId")) == str(job_id)
                     and str((r.get("candidate") or {}).get("email") or "").lower() == email), None)  # fmt: skip

    async def create() -> Raw:
        try:
            response = await kit.create_request(source.client, "POST", "/applications", json=payload)
        except RemoteError as exc:
            if exc.status in (400, 409, 422) and "already exists" in exc.message.lower():
                raise AlreadyApplied(f"{email} already applied to JOIN job {job_id}") from None
            raise
        body = response.json()
        if not isinstance(body, dict) or not body.get("id"):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "JOIN answered without an application id", retryable=True)
        return body

    async def fetch(app_id: str) -> Raw:
        return dict(await source.get_json(f"/applications/{app_id}"))

    created = await call.once("application", create, find=find, fetch=fetch)
    warnings = [] if not any(not isinstance(a.value, FileData) for a in call.answers) else [
        "JOIN's application API takes no screening answers: they were not sent"]  # fmt: skip
    created_ids = {"application_remote_id": str(created["id"])}
    if created.get("candidateId") is not None:
        created_ids["candidate_remote_id"] = str(created["candidateId"])
    return WriteResult([("applications", created)], warnings, created_ids)


ACTIONS = WRITES.actions()
