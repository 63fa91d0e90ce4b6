"""The Customer API write: ``create_application`` (and the deprecated ``create_candidate``).

Documented [doc]: ``POST /v1/candidates/{id}/vacancies/{vacancyReference}`` applies an existing candidate to a
vacancy. The candidate itself is found by mail in the candidates export, or created with ``POST
/v1/candidates`` [gap: the stored guide names a second creation endpoint without showing it]. Each POST is
created once (``call.once``): the candidate's ``find`` searches the export by mail, the application's
the candidate's applications in the applications export. The answers name the new ``id`` [gap].
Files are not sent (no document endpoint in the stored material): a warning says so.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, WriteCall, WriteResult
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate


WRITES = kit.WriteTable()


async def _first(source: kit.KitSource, path: str, params: Raw, match: Any) -> Raw | None:
    async for page in source.listing(path, path, params):
        for row in page:
            if match(row):
                return dict(row)
    return None


async def _candidate_by_mail(source: kit.KitSource, email: str) -> Raw | None:
    return await _first(source, "/exports/v1/candidates", {"email": email},
                        lambda r: str(r.get("email") or "").lower() == email.lower())  # fmt: skip


async def _application(source: kit.KitSource, candidate_id: str, reference: str) -> Raw | None:
    return await _first(source, "/exports/v1/applications", {"candidateId": candidate_id},
                        lambda r: str(r.get("candidateId")) == candidate_id
                        and str(r.get("vacancyReference")) == reference)  # fmt: skip


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    c, reference = call.body.candidate, str(call.job_remote_id)
    email = c.email_address

    async def new_candidate() -> Raw:
        body: Raw = {"firstName": c.first_name, "lastName": c.last_name, "email": email}
        if c.phone_number:
            body["phoneNumber"] = c.phone_number
        response = await kit.create_request(source.client, "POST", "/v1/candidates", json=body)
        return dict(response.json()["data"])

    async def find_candidate(_: Any) -> Raw | None:
        return await _candidate_by_mail(source, email)

    known = await _candidate_by_mail(source, email)
    candidate = known or await call.once("candidate", new_candidate, find=find_candidate, marker=email.lower())
    cid = str(candidate["id"])
    if (
        known is not None
        and await _application(source, cid, reference) is not None
        and ("application_remote_id" not in call.progress and "application_create_started" not in call.progress)
    ):
        raise AlreadyApplied(f"{email} already applied to vacancy {reference}")

    async def apply() -> Raw:
        body: Raw = {"origin": call.body.source.name} if call.body.source and call.body.source.name else {}
        path = f"/v1/candidates/{cid}/vacancies/{reference}"
        response = await kit.create_request(source.client, "POST", path, json=body)
        return dict(response.json()["data"])

    async def find_application(_: Any) -> Raw | None:
        return await _application(source, cid, reference)

    app = await call.once("application", apply, find=find_application, marker=email.lower())
    full_app = await _application(source, cid, reference) or app
    full_candidate = await _candidate_by_mail(source, email) or candidate
    warnings = (
        ["Talentsoft's Customer API has no documented document upload; files were not sent"] if call.files else []
    )
    return WriteResult([("candidates", full_candidate), ("applications", full_app)], warnings,
                       {"application_remote_id": str(full_app["id"]), "candidate_remote_id": cid})  # fmt: skip


ACTIONS = WRITES.actions()
