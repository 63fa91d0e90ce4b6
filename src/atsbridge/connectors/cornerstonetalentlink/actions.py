"""TalentLink's write: ``POST /candidate`` with ``openingId`` (201) [conn] — the candidate is created with an
application to the opening (the job). HrFlow's connector posts candidates there and its profile schema
carries ``openingId``; that the POST files the application is the most defensible reading [unverified].

Kombo notes the submission is asynchronous [conn]: after the POST the candidate's ``applications`` are
read back a few times until the one for this opening shows. The POST is not idempotent: ``call.once``
finds a candidate by mail (``where: {email_eq: ...}``) with its application to this opening, or created since
the interrupted try began (``creation``, epoch ms: its application may still be being filed).
Both ``create_application`` and the deprecated ``create_candidate`` (one application) go through it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.cornerstonetalentlink.api import APPLICATIONS, CANDIDATES
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate
#: Read-backs of an asynchronously filed application (Kombo polls up to 5 minutes; a write waits less).
POLLS, POLL_SECONDS = 4, 0.5
SKEW_MS = 300_000


WRITES = kit.WriteTable()


async def first_row(source: kit.KitSource, path: str, pager: kit.NdjsonPages, where: Raw) -> Raw | None:
    async for page in source.listing(path, path, where, pager=pager, records_path=pager.records_path):
        return next((dict(r) for r in page if isinstance(r, dict)), None)
    return None


def _int(value: Any) -> Any:
    return int(value) if str(value).isdigit() else value


def _opening_application(candidate: Raw | None, job_id: str) -> Raw | None:
    for app in (candidate or {}).get("applications") or []:
        if isinstance(app, dict) and str((app.get("opening") or {}).get("id")) == job_id:
            return app
    return None


async def _filed(source: kit.KitSource, candidate_id: str, job_id: str, polls: int) -> Raw | None:
    for attempt in range(polls):
        cand = await first_row(source, "/candidate", CANDIDATES, {"id_eq": _int(candidate_id)})
        app = _opening_application(cand, job_id)
        if app is not None:
            return app
        if attempt + 1 < polls:
            await asyncio.sleep(POLL_SECONDS)
    return None


def payload(call: WriteCall[Body], job_id: str) -> Raw:
    c = call.body.candidate
    address: Raw = {"mobilePhone": c.phone_number}
    if c.location is not None:
        address.update(city=c.location.city, zip=c.location.zip_code, countryName=c.location.country)
    body: Raw = {"firstname": c.first_name, "lastname": c.last_name, "email": c.email_address,
                 "address": {k: v for k, v in address.items() if v}, "openingId": _int(job_id)}  # fmt: skip
    if call.body.source is not None and call.body.source.name:
        body["srcChannelName"] = call.body.source.name
    return body


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    c, job_id = call.body.candidate, str(call.job_remote_id)

    async def find(started_ms: Any) -> Raw | None:
        """The candidate an interrupted try made: by mail, with this opening's application or created since
        the try began (its application may not be filed yet; 5 minutes of clock skew allowed)."""
        cand = await first_row(source, "/candidate", CANDIDATES, {"email_eq": c.email_address})
        if cand is None or _opening_application(cand, job_id) is not None:
            return cand
        created = cand.get("creation")
        recent = isinstance(created, int | float) and isinstance(started_ms, int) and created >= started_ms - SKEW_MS
        return cand if recent else None

    async def create() -> Raw:
        response = await kit.create_request(source.client, "POST", "/candidate", json=payload(call, job_id))
        made = response.json()
        if not isinstance(made, dict) or made.get("id") is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "TalentLink created the candidate but sent no id")
        return dict(made)

    cand = await call.once("candidate", create, find=find)
    cand_id = str(cand["id"])
    app = await _filed(source, cand_id, job_id, POLLS)
    if app is None:
        pending = f"TalentLink created candidate {cand_id} but has not filed its application yet (asynchronous)"
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{pending}: it shows with the next sync", retryable=True)
    full = await first_row(source, "/application", APPLICATIONS, {"id_eq": _int(app["id"])}) or app
    candidate = await first_row(source, "/candidate", CANDIDATES, {"id_eq": _int(cand_id)}) or cand
    warnings = ["TalentLink's API takes no files with a new candidate here; attachments were not sent"] if (
        call.files) else []  # fmt: skip
    if call.answers:
        warnings.append("TalentLink's candidate API takes no screening answers; they were not sent")
    return WriteResult([("applications", full), ("candidates", candidate)], warnings,
                       {"application_remote_id": str(full["id"]), "candidate_remote_id": cand_id})  # fmt: skip


ACTIONS = WRITES.actions()
