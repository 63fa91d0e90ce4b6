"""Created records "as submitted", for vendors that accept an application but cannot be read back.

atsbridge answers a create with the application and candidate it stores. A careers-only API (an applicant
login per application, a partner apply endpoint) takes the application but offers no recruiter-side read,
so there is no vendor record to map. :func:`as_submitted` builds the unified candidate and application from
what the request itself said, for ``WriteResult.unified``; the write path stores them like any write-through
record (and announces them with ``data-changed``).

Why they stay: a full sync marks deleted only what it did not list among the models its streams fill
(``sync.engine._detect_deletions``); a connector that cannot read candidates or applications fills neither,
so these records are never swept away by the next sync. They are also never refreshed: stage and outcome
stay unknown (``current_stage_id`` None, ``outcome`` PENDING) because the vendor never tells.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors.actions import WriteCall
from atsbridge.connectors.base import MapContext
from atsbridge.core.timeutil import utcnow
from atsbridge.model import write_bodies as bodies
from atsbridge.model.record import UnifiedRecord

Raw = dict[str, Any]


def _emails(c: bodies.NewCandidate) -> list[Raw]:
    extra = [{"email_address": e.email_address, "type": e.type} for e in c.additional_email_addresses or []]
    return [{"email_address": c.email_address, "type": None}, *extra]


def _phones(c: bodies.NewCandidate) -> list[Raw] | None:
    phones = [{"phone_number": c.phone_number, "type": None}] if c.phone_number else []
    phones += [{"phone_number": p.phone_number, "type": p.type} for p in c.additional_phone_numbers or []]
    return phones or None


def as_submitted(
    call: WriteCall[bodies.CreateApplication | bodies.CreateCandidate],
    *,
    application_remote_id: object,
    candidate_remote_id: object,
) -> list[UnifiedRecord]:
    """The unified candidate and application of a create the vendor accepted but cannot return: names,
    e-mails, phones, company, title and location from the request; the application on the call's job,
    no stage, outcome PENDING, created now. No ``remote_data`` (nothing came from the vendor)."""
    ctx = MapContext(call.integration_id)
    c, now = call.body.candidate, utcnow()
    job_remote = call.job_remote_id or (call.job or {}).get("remote_id")
    location = c.location.model_dump() if c.location is not None else None
    source = call.body.source.name if call.body.source is not None else None
    candidate = ctx.record(
        "candidates",
        candidate_remote_id,
        {"first_name": c.first_name, "last_name": c.last_name, "company": c.company, "title": c.title,
         "email_addresses": _emails(c), "phone_numbers": _phones(c), "location": location, "source": source,
         "remote_created_at": now, "remote_updated_at": now},
    )  # fmt: skip
    application = ctx.record(
        "applications",
        application_remote_id,
        {"candidate_id": candidate.id, "job_id": ctx.ref("jobs", job_remote), "current_stage_id": None,
         "outcome": "PENDING", "remote_created_at": now, "remote_updated_at": now},
    )  # fmt: skip
    return [candidate, application]
