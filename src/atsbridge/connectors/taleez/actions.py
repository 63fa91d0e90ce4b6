"""Taleez's one write: ``POST /0/jobs/{id}/applications`` (apply to a job; the candidate is created or reused).

The answer is ``{candidateId, applicationId}`` [doc]. The POST is not idempotent: it runs through
``call.once`` whose ``find`` looks the candidate up by mail (``GET /candidates?mail[]=``, mails are unique per
company [doc]) and then among its applications for this job. Screening answers go as ``answers``
(``questionId`` + ``value`` or ``choices``); files are not sent (a DOC answer needs a temporary upload first,
not built) and say so in a warning. ``initialReferrer`` is the candidate's source when given.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate


WRITES = kit.WriteTable()


async def _candidate(source: kit.KitSource, email: str) -> Raw | None:
    body = await source.get_json("/candidates", {"mail[]": email, "page": 0, "pageSize": 10})
    rows = (body or {}).get("list") if isinstance(body, dict) else None
    return next((dict(r) for r in rows or [] if str(r.get("mail") or "").lower() == email.lower()), None)


async def _application(source: kit.KitSource, candidate_id: str, job_id: str) -> Raw | None:
    rows = await source.get_json(f"/candidates/{candidate_id}/applications")
    for row in rows if isinstance(rows, list) else []:
        if str(row.get("jobId")) == job_id:
            return {**row, "_parent": {"id": candidate_id}}
    return None


def _id(value: Any) -> Any:
    """Taleez ids are int64 [doc]; the unified model keeps remote ids as strings."""
    return int(value) if str(value).isdigit() else value


def _answers(call: WriteCall[Body]) -> list[Raw]:
    out: list[Raw] = []
    for a in call.answers:
        if a.type == "FILE":
            continue
        qid = _id(a.question.get("remote_id"))
        if isinstance(a.value, list):
            out.append({"questionId": qid, "choices": [_id(v.get("remote_id")) for v in a.value]})
        else:
            out.append({"questionId": qid, "value": a.value})
    return out


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    c, job_id = call.body.candidate, str(call.job_remote_id)

    async def find(_: Any) -> Raw | None:
        cand = await _candidate(source, c.email_address)
        return None if cand is None else await _application(source, str(cand["id"]), job_id)

    async def create() -> Raw:
        payload: Raw = {"firstName": c.first_name, "lastName": c.last_name, "email": c.email_address,
                        "phone": c.phone_number, "answers": _answers(call)}  # fmt: skip
        response = await kit.create_request(source.client, "POST", f"/jobs/{job_id}/applications", json=payload)
        made = response.json()
        return {"id": made["applicationId"], "jobId": job_id, "_parent": {"id": str(made["candidateId"])}}

    app = await call.once("application", create, find=find, marker=c.email_address.lower())
    cand_id = str((app.get("_parent") or {}).get("id"))
    full = await _application(source, cand_id, job_id) or app
    candidate = await source.get_json(f"/candidates/{cand_id}")
    warnings = ["Taleez takes files through a temporary upload per question; attachments were not sent"] if (
        call.files or any(a.type == "FILE" for a in call.answers)) else []  # fmt: skip
    return WriteResult([("applications", full), ("candidates", candidate)], warnings,
                       {"application_remote_id": str(full["id"]), "candidate_remote_id": cand_id})  # fmt: skip


ACTIONS = WRITES.actions()
