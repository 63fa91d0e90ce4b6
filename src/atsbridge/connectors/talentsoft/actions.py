"""The FrontOffice write: apply to an offer as a candidate would (``create_application``, which also serves the
deprecated ``create_candidate``).

``POST /applicants/applicationswithoutaccount`` [gap: path and body beyond the ``applicant`` / ``application``
objects that Kombo's ``remote_fields.talentsoft`` names are unverified] with ``{"applicant": {...},
"application": {"offerReference": ...}}``; the contract's ``remote_fields.talentsoft.applicant`` and
``.application`` are merged into those two objects (they win). The answer names ``applicantId`` and
``applicationId``; the application is read back with ``GET /applications/{id}`` for write-through.

Not idempotent: created once through ``call.once``, whose ``find`` looks among this client's applications
(the FrontOffice lists only those) for the mail + offer; a 409 (already applied) is ``AlreadyApplied``.
Files are not sent (the portal takes them as multipart parts whose names are unverified): a warning says so.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate


WRITES = kit.WriteTable()


def _merged(base: Raw, extra: Any) -> Raw:
    return {**base, **extra} if isinstance(extra, dict) else base


def applicant_body(call: WriteCall[Body]) -> Raw:
    c = call.body.candidate
    applicant: Raw = {"firstName": c.first_name, "lastName": c.last_name, "email": c.email_address}
    if c.phone_number:
        applicant["phoneNumber"] = c.phone_number
    if c.location is not None and (c.location.city or c.location.zip_code):
        applicant["address"] = {"city": c.location.city, "postalCode": c.location.zip_code}
    application: Raw = {"offerReference": call.job_remote_id}
    source = call.body.source
    if source is not None and source.name:
        application["origin"] = source.name
    return {"applicant": _merged(applicant, call.remote_fields.get("applicant")),
            "application": _merged(application, call.remote_fields.get("application"))}  # fmt: skip


async def _mine(source: kit.KitSource, email: str, offer: str) -> Raw | None:
    """This client's application of ``email`` to ``offer`` (the FrontOffice lists only its own)."""
    async for page in source.listing("applications", "/applications"):
        for row in page:
            mail = str((row.get("applicant") or {}).get("email") or "")
            if mail.lower() == email.lower() and str(row.get("offerReference")) == offer:
                return row
    return None


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    email, offer = call.body.candidate.email_address, str(call.job_remote_id)

    async def create() -> Raw:
        try:
            response = await kit.create_request(source.client, "POST", "/applicants/applicationswithoutaccount",
                                                json=applicant_body(call))  # fmt: skip
        except RemoteError as exc:
            if exc.status == 409:  # the applicant (by mail) already applied to this offer
                raise AlreadyApplied(f"{email} already applied to offer {offer}") from exc
            raise
        made = response.json()
        return {"id": made["applicationId"], "applicantId": made.get("applicantId")}

    async def find(_: Any) -> Raw | None:
        return await _mine(source, email, offer)

    made = await call.once("application", create, find=find, marker=email.lower())
    app = await source.get_json(f"/applications/{made['id']}")
    applicant = (app or {}).get("applicant") or {}
    warnings = ["Talentsoft's FrontOffice API takes files as multipart parts of the portal; files were not sent"] if (
        call.files) else []  # fmt: skip
    return WriteResult(
        [("applications", app)],
        warnings,
        {"application_remote_id": str(app["id"]), "candidate_remote_id": str(applicant.get("id"))},
    )


ACTIONS = WRITES.actions()
