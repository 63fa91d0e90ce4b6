"""``create_application`` for Lever: ``POST /opportunities?perform_as=`` with the posting, then files and a note.

Modelling choices:

* One opportunity per application, created with ``postings: [<posting id>]`` and the chosen ``stage``; Lever
  creates the application itself. ``origin`` is ``applied``, or ``sourced`` with the sourcer as acting user when
  ``sourced_by`` is given (Lever records the acting user as ``sourcedBy``).
* **Email dedupe**: Lever matches the email to an existing contact (``deduped: true``). A new opportunity for
  another posting shares that person's contact (a warning says so). An email that already has an active
  opportunity for this posting is ``AlreadyApplied`` — checked before the POST, and again on the answer in case
  Lever deduped onto that candidacy instead of creating one.
* **Screening answers go into a note** on the opportunity (Lever's create-opportunity API takes no answers to a
  posting's questions; only the public apply form does); FILE answers are uploaded like attachments.
* **Attachments** (the CV too) go through ``POST /opportunities/{id}/files``: Lever parses resumes only when
  they are sent with the create itself, so the CV is kept as a file (read back as type OTHER; a warning says so).
* ``remote_fields.lever.candidate`` is merged into the create body as is (any Lever opportunity field).

Idempotency: the intent is recorded before the POST together with the ids of the email's opportunities that
already existed; a resumed call looks for a *new* opportunity of that email with this posting and reuses it.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors.actions import AlreadyApplied, FileData, JobClosed, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit import KitSource
from atsbridge.connectors.lever import writing as w
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
NewApplication = bodies.CreateApplication | bodies.CreateCandidate

#: Posting states that take no new candidates (``rejected`` = turned down in approval, unified ARCHIVED).
CLOSED_POSTING_STATES = frozenset({"closed", "rejected"})
#: Lever phone types for the contract's typed phones (the primary phone is Lever's usual ``mobile``).
PHONE_TYPES = {"PERSONAL": "home", "WORK": "work", "OTHER": "other"}
_NOT_STORED = ("gender", "availability_date", "salary_expectations")


def _location(c: bodies.NewCandidate) -> str | None:
    loc = c.location
    if loc is None:
        return None
    return ", ".join(p for p in (loc.city, loc.state, loc.country) if p)


def opportunity_body(call: WriteCall, body: bodies.CreateApplication | bodies.CreateCandidate) -> Raw:
    """The ``POST /opportunities`` JSON (the shape of the recorded request)."""
    c = body.candidate
    phones = [{"value": c.phone_number, "type": "mobile"}] if c.phone_number else []
    phones += [{"value": p.phone_number, "type": PHONE_TYPES[p.type]} for p in c.additional_phone_numbers or []]
    out: Raw = {
        "name": f"{c.first_name} {c.last_name}",
        "headline": c.title or c.company or "",
        "phones": phones,
        "emails": [c.email_address] + [e.email_address for e in c.additional_email_addresses or []],
        "links": [s.url for s in c.social_links or []],
        "tags": [],
        "sources": [body.source.name] if body.source and body.source.name else [],
        "origin": "sourced" if call.sourced_by_remote_id else "applied",
        "postings": [call.job_remote_id],
    }
    location = _location(c)
    if location:
        out["location"] = location
    if call.stage and call.stage.get("remote_id"):
        out["stage"] = call.stage["remote_id"]
    candidate_fields = call.remote_fields.get("candidate")
    if isinstance(candidate_fields, dict):
        out.update(candidate_fields)
    return out


def _dropped(body: bodies.CreateApplication | bodies.CreateCandidate) -> list[str]:
    c = body.candidate
    names = [n for n in _NOT_STORED if getattr(c, n) is not None]
    if c.title and c.company:
        names.append("company (the headline holds the title)")
    if body.gdpr_consent is not None:
        names.append("gdpr_consent")
    if not names:
        return []
    return [f"Lever's opportunity has no field for {', '.join(names)}: not stored"]


def _applied(opp: Raw, posting_id: str) -> bool:
    return any(isinstance(a, dict) and a.get("posting") == posting_id for a in opp.get("applications") or [])


async def _by_email(source: KitSource, email: str) -> list[Raw]:
    return await source.all_records("opportunities", "/opportunities", {"email": email, "expand": "applications"})


async def _check_posting(source: KitSource, posting_id: str) -> None:
    try:
        posting = await w.get_data(source, f"/postings/{posting_id}")
    except RemoteError as exc:
        if exc.status == 404:
            raise RemoteError("REMOTE.INPUT_INVALID", f"Lever has no posting {posting_id}", status=404) from None
        raise
    if posting.get("state") in CLOSED_POSTING_STATES:
        raise JobClosed(f"Lever posting {posting_id} is {posting['state']}: it takes no new candidates")


async def _post(source: KitSource, payload: Raw, acting: str, known: set[str]) -> Raw:
    """The create itself; Lever's answer for a closed posting is JobClosed, a dedupe onto an existing
    candidacy AlreadyApplied."""
    try:
        answer = await w.send(source, "POST", "/opportunities", acting, json=payload, creates=True)
    except RemoteError as exc:
        if exc.status == 400 and "posting" in exc.message.lower() and "closed" in exc.message.lower():
            raise JobClosed(exc.message) from None
        raise
    opp: Raw = answer["data"]
    if opp.get("id") in known:
        raise AlreadyApplied(f"Lever deduped {payload['emails'][0]} onto its existing opportunity {opp['id']}")
    if answer.get("deduped"):
        opp["_deduped"] = True
    return opp


async def _opportunity_id(
    source: KitSource, call: WriteCall[NewApplication], payload: Raw, acting: str
) -> tuple[str, bool]:
    """Create the opportunity once (or find the one a failed earlier try created): (id, deduped)."""
    email, posting_id = payload["emails"][0], str(call.job_remote_id)
    if "opportunity_remote_id" not in call.progress and "opportunity_create_started" not in call.progress:
        await _check_posting(source, posting_id)
        existing = await _by_email(source, email)
        if any(_applied(o, posting_id) and not o.get("archived") for o in existing):
            raise AlreadyApplied(f"{email} already has an active Lever opportunity for posting {posting_id}")
        call.progress["_lever_known"] = sorted(str(o["id"]) for o in existing)  # saved with the intent
    known = set(call.progress.get("_lever_known") or [])

    async def find(_email: Any) -> Raw | None:
        """A *new* opportunity of that email with this posting."""
        mine = [o for o in await _by_email(source, email) if o["id"] not in known and _applied(o, posting_id)]
        if mine:
            call.progress["_lever_deduped"] = bool(known)
        return mine[0] if mine else None

    async def create() -> Raw:
        opp = await _post(source, payload, acting, known)
        call.progress["_lever_deduped"] = bool(opp.get("_deduped"))
        return opp

    opp = await call.once("opportunity", create, find=find, marker=email)
    return str(opp["id"]), bool(call.progress.get("_lever_deduped"))


def _answer_text(call: WriteCall) -> str | None:
    """The non-file screening answers as one plain-text note."""
    lines = []
    for answer in call.answers:
        value = answer.value
        if answer.type == "FILE":
            continue
        if answer.type in ("SINGLE_SELECT", "MULTI_SELECT"):
            value = ", ".join(str(o.get("name")) for o in value)
        elif answer.type == "BOOLEAN":
            value = "Yes" if value else "No"
        title = answer.question.get("title") or answer.question.get("remote_id")
        lines.append(f"{title}\n{value}")
    if not lines:
        return None
    return "Screening question answers\n\n" + "\n\n".join(lines)


def _uploads(call: WriteCall) -> list[FileData]:
    return list(call.files) + [a.value for a in call.answers if a.type == "FILE" and isinstance(a.value, FileData)]


async def create_application(source: KitSource, call: WriteCall[NewApplication]) -> WriteResult:
    body = call.body
    acting = call.sourced_by_remote_id or await w.acting_user(source, call)
    payload = opportunity_body(call, body)
    opp_id, deduped = await _opportunity_id(source, call, payload, acting)
    warnings = _dropped(body)
    if deduped:
        warnings.append("Lever matched the email to an existing contact: the new opportunity shares that person")
    records: list[tuple[str, Raw]] = []
    notes: list[Raw] = []
    text = _answer_text(call)
    if text:
        notes.append(await w.add_note(source, call, "answers_note", opp_id, text, acting))
        warnings.append("Lever's create-opportunity API takes no screening answers: they were added as a note")
    files: list[Raw] = []
    for i, f in enumerate(_uploads(call)):
        files.append(await w.add_file(source, call, f"attachment_{i}", opp_id, f.name, f.content, f.content_type,
                                      acting))  # fmt: skip
    if any(f.type == "CV" for f in call.files):
        warnings.append(w.CV_WARNING)
    opp = await w.opportunity(source, opp_id)
    records.append(("opportunities", opp))
    records += [("notes", w.child(n, opp)) for n in notes]
    records += [("attachments", w.child(f, opp, "files")) for f in files]
    app = next((a for a in opp["applications"] if a.get("posting") == call.job_remote_id), None)
    if app is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Lever created opportunity {opp_id} without the application")
    return WriteResult(records, warnings, {"application_remote_id": app["id"], "candidate_remote_id": opp_id})
