"""d.vinci writes, each through the REST endpoint the doc names for it [doc]:

* notes and result links: ``PUT /applications/{id}/history/{externalId}`` upserts one history entry under an
  external id *we* choose (kept in the call's progress), so a retry writes the same entry again instead of a
  second one; ``call.once`` still records the intent and a resumed call finds the entry in the history first;
* move: ``POST /applications/{id}/statusChange/{statusId}`` (workflow rules apply: 422 ``statusChangeNotPermitted``);
* reject: ``PUT /applications/{id}`` with the ``rejectionCodeId``; tags: ``PUT /persons/{id}`` with the full
  ``keywords`` list. Both are read-modify-write with the record's ``version`` (optimistic locking): a 409
  ``ConcurrentModification`` re-reads the record and retries once, then refuses with d.vinci's message;
* create: ``POST /persons/`` then ``POST /applications/`` (then one ``POST .../attachments`` per file, base64
  JSON), each created once under an ``externalId`` we set, by which a resumed call finds what an earlier try
  made (``?externalId=`` for persons [doc, answer shape unrecorded], the job's applications for applications);
* the contract's ``remote_fields.dvinci.candidate`` / ``.application`` are merged into the person / application
  bodies of both create actions (Appendix A); ``languageId`` (mandatory) is the integration's ``language_id``.
"""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Callable
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult, now_ms
from atsbridge.connectors.dvinci.api import ref_id
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.core.timeutil import parse_ts
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Created = bodies.CreateApplication | bodies.CreateCandidate
#: Read-only keys of an application / person that a PUT must not send (``person`` answers ``updateNotAllowed``).
READ_ONLY = frozenset({"id", "person", "jobOpening", "applicationStatusId", "lastStatusChangeDate", "dateCreated",
                       "candidateMailbox", "permanentPostNumber", "applications"})  # fmt: skip
DESCRIPTIONS = {"CV": "CV", "COVER_LETTER": "Cover letter", "OTHER": "Document"}
AUTHOR = "atsbridge"


WRITES = kit.WriteTable()


def _rid(record: Raw | None, what: str) -> str:
    rid = str((record or {}).get("remote_id") or "")
    if not rid.isdigit():
        raise RemoteError("REMOTE.INPUT_INVALID", f"d.vinci {what} ids are numbers; got {rid!r}")
    return rid


async def _get(source: kit.KitSource, path: str) -> Raw:
    """One record; d.vinci answers 403 for an id that does not exist as well as for a missing permission."""
    try:
        found = await source.get_json(path)
    except RemoteError as exc:
        if exc.status in (403, 404):
            raise RemoteError("REMOTE.INPUT_INVALID", f"d.vinci has no {path} visible to this API user "
                              f"({exc.status})", status=exc.status) from None  # fmt: skip
        raise
    if not isinstance(found, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: d.vinci answered no object")
    return found


def _answers_back(questions: Any) -> list[Raw]:
    """Screening answers as a write takes them: ``{id, answer}`` or ``{id, answers: [{id}]}``."""
    out = []
    for q in questions if isinstance(questions, list) else []:
        if "answers" in q:
            out.append({"id": q.get("id"), "answers": [{"id": a.get("id")} for a in q.get("answers") or []]})
        else:
            out.append({"id": q.get("id"), "answer": q.get("answer")})
    return out


async def put_versioned(source: kit.KitSource, path: str, change: Callable[[Raw], Raw | None]) -> Raw:
    """Read ``path``, apply ``change`` (None: nothing to write), ``PUT`` it with the version read; on a 409
    (someone saved meanwhile) read again and retry once, then refuse with d.vinci's message."""
    for attempt in range(2):
        current = await _get(source, path)
        changed = change(current)
        if changed is None:
            return current
        body = {k: v for k, v in changed.items() if k not in READ_ONLY}
        if "screeningQuestions" in body:
            body["screeningQuestions"] = _answers_back(body["screeningQuestions"])
        try:
            await source.client.request("PUT", path, json=body)
        except RemoteError as exc:
            if exc.status == 409 and attempt == 0:
                continue
            if exc.status == 409:
                raise RemoteError("REMOTE.INPUT_INVALID", f"d.vinci refused the change twice as stale (409): "
                                  f"{exc.message}", status=409) from None  # fmt: skip
            raise
        return await _get(source, path)
    raise AssertionError("unreachable")


async def _application(source: kit.KitSource, app_id: str) -> Raw:
    return await _get(source, f"/applications/{app_id}")


async def _history_entry(source: kit.KitSource, call: WriteCall[Any], key: str, app_id: str, text: str) -> Raw:
    """One history entry, created once (see the module docstring)."""
    ext = call.progress.get(f"{key}_external_id") or f"{AUTHOR}-{uuid.uuid4().hex}"
    call.step(f"{key}_external_id", ext)
    path = f"/applications/{app_id}/history"

    async def find(marker: Any) -> Raw | None:
        entries = await source.get_json(path)
        return next((e for e in entries or [] if isinstance(e, dict) and e.get("externalId") == marker), None)

    async def create() -> Raw:
        body = {"description": text, "dvinciUserId": None, "externalUser": AUTHOR}
        made = await kit.create_request(source.client, "PUT", f"{path}/{ext}", json=body)
        return dict(made.json())

    entry = await call.once(key, create, find=find, marker=ext, id_of=lambda e: str(e.get("externalId") or ext))
    app = await _application(source, app_id)
    return {**entry, "_application": {"id": int(app_id), "person": ref_id(app.get("person"))}}


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    app_id = _rid(call.application, "application")
    entry = await _history_entry(source, call, "note", app_id, call.body.content)
    return WriteResult([("history", entry)], created={"note_remote_id": f"{app_id}/{entry['externalId']}"})


@WRITES.result_link
async def add_result_link(source: kit.KitSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    """No result links in d.vinci: a history entry on the application (a candidate's: its first one)."""
    app = call.application
    if app is None:
        apps = (call.candidate or {}).get("applications") or []
        app = apps[0] if apps else None
    if app is None:
        raise RemoteError("REMOTE.INPUT_INVALID", "d.vinci keeps history on applications; this candidate has none")
    app_id = _rid(app, "application")
    entry = await _history_entry(source, call, "link", app_id, kit.result_link_text(call.body))
    return WriteResult([("history", entry)], [kit.result_link_warning("d.vinci")],
                       {"note_remote_id": f"{app_id}/{entry['externalId']}"})  # fmt: skip


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    """Setting the status it already has changes nothing, so the call may be retried like any request."""
    app_id, status = _rid(call.application, "application"), str((call.stage or {}).get("remote_id") or "")
    if not re.fullmatch(r"[\w-]{1,200}", status):
        raise RemoteError("REMOTE.INPUT_INVALID", f"not a d.vinci status internal name: {status!r}")
    await source.client.request("POST", f"/applications/{app_id}/statusChange/{status}", json={})
    return WriteResult([("applications", await _application(source, app_id))])


@WRITES.reject
async def reject(source: kit.KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    """The rejection code on the application (read-modify-write with its version); the note as a history entry."""
    app_id, code = _rid(call.application, "application"), (call.rejection_reason or {}).get("remote_id")

    def change(app: Raw) -> Raw | None:
        return None if app.get("rejectionCodeId") == code else {**app, "rejectionCodeId": code}

    app = await put_versioned(source, f"/applications/{app_id}", change)
    out = [("applications", app)]
    if call.body.note:
        out.append(("history", await _history_entry(source, call, "rejection_note", app_id, call.body.note)))
    return WriteResult(out)


async def _tags(source: kit.KitSource, call: WriteCall[bodies.TagBody], *, add: bool) -> WriteResult:
    person_id, name = _rid(call.candidate, "candidate"), call.body.tag.name
    missing: list[str] = []

    def change(person: Raw) -> Raw | None:
        current = [str(w) for w in person.get("keywords") or []]
        words = kit.with_tag(current, name) if add else kit.without_tag(current, name)
        if words is None and not add:
            missing.append(kit.missing_tag_warning(name))
        return None if words is None else {**person, "keywords": words}

    person = await put_versioned(source, f"/persons/{person_id}", change)
    tag = [("keywords", {"id": name.strip()})] if add else []  # the tag row too: keywords have no listing
    return WriteResult([("persons", person), *tag], missing[:1])


async def _upload(source: kit.KitSource, call: WriteCall[Any], key: str, app_id: str, f: FileData) -> Raw:
    """``POST /applications/{id}/attachments`` (base64 JSON) once; a resumed call adopts a file of the same
    name stored since the try began."""
    path = f"/applications/{app_id}/attachments"

    async def find(started_ms: Any) -> Raw | None:
        for a in await source.get_json(path) or []:
            made = a.get("dateCreated") if isinstance(a, dict) else None
            late_enough = made and parse_ts(str(made)).timestamp() * 1000 >= int(started_ms) - 1000
            if late_enough and a.get("filename") == f.name:
                return dict(a)
        return None

    async def create() -> Raw:
        body = {"filename": f.name, "description": DESCRIPTIONS.get(f.type, "Document"),
                "contentAsBase64": base64.b64encode(f.content).decode()}  # fmt: skip
        return dict((await kit.create_request(source.client, "POST", path, json=body)).json())

    made = await call.once(key, create, find=find, marker=now_ms())
    app = await _application(source, app_id)
    parent = {"id": int(app_id), "person": ref_id(app.get("person"))}
    listed = next((a for a in await source.get_json(path) or [] if a.get("id") == made.get("id")), None)
    return {**(listed or {"id": made.get("id"), "filename": f.name, "contentType": f.content_type}),
            "_application": parent}  # fmt: skip


@WRITES.application_attachment
async def add_attachment(source: kit.KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    app_id = _rid(call.application, "application")
    files = list(call.files)
    rows = [await _upload(source, call, f"attachment_{i}", app_id, f) for i, f in enumerate(files)]
    created = {"attachment_remote_id": f"{app_id}/{rows[0]['id']}"} if rows else {}
    return WriteResult([("attachments", r) for r in rows], created=created)


def _person_body(call: WriteCall[Created], ext: str) -> Raw:
    c = call.body.candidate
    loc = c.location
    body: Raw = {"externalId": ext, "firstName": c.first_name, "lastName": c.last_name, "email": c.email_address,
                 "telephone": c.phone_number, "zipCode": loc.zip_code if loc else None,
                 "city": loc.city if loc else None, "address1": loc.street_1 if loc else None,
                 "countryIsoA2": loc.country if loc and loc.country and len(loc.country) == 2 else None}  # fmt: skip
    extra = call.remote_fields.get("candidate")
    return {**body, **extra} if isinstance(extra, dict) else body


def _screening(call: WriteCall[Created]) -> list[Raw]:
    out = []
    for a in call.answers:
        qid = (a.question or {}).get("remote_id")
        if not qid or a.type == "FILE":
            continue
        if isinstance(a.value, list):
            out.append({"id": qid, "answers": [{"id": o.get("remote_id")} for o in a.value if isinstance(o, dict)]})
        else:
            out.append({"id": qid, "answer": str(a.value).lower() if isinstance(a.value, bool) else str(a.value)})
    return out


def _application_body(source: kit.KitSource, call: WriteCall[Created], person_id: str, ext: str) -> Raw:
    job = int(str(call.job_remote_id))
    body: Raw = {"externalId": ext, "person": {"id": int(person_id)}, "jobOpening": {"id": job},
                 "languageId": str(source.config.get("language_id") or "de"), "type": "ONLINE",
                 "privacyPolicyAccepted": bool(call.body.gdpr_consent and call.body.gdpr_consent.given),
                 "screeningQuestions": _screening(call)}  # fmt: skip
    if (call.stage or {}).get("remote_id"):
        body["applicationStatusId"] = call.stage["remote_id"]  # type: ignore[index]
    if call.body.source and call.body.source.id:
        body["sourceId"] = call.body.source.id
    extra = call.remote_fields.get("application")
    return {**body, **extra} if isinstance(extra, dict) else body


def _created_id(response: Any, what: str) -> str:
    try:
        made = response.json()
    except ValueError:
        made = None
    if not isinstance(made, dict) or made.get("id") is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"d.vinci did not return the new {what}'s id: {made!r}"[:300])
    return str(made["id"])


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Created]) -> WriteResult:
    if not str(call.job_remote_id or "").isdigit():
        raise RemoteError("REMOTE.INPUT_INVALID", f"d.vinci job opening ids are numbers; got {call.job_remote_id!r}")
    ext = call.progress.get("external_id") or f"{AUTHOR}-{uuid.uuid4().hex}"
    call.step("external_id", ext)

    async def find_person(marker: Any) -> str | None:
        found = await source.get_json("/persons/", {"externalId": marker})
        rows = found if isinstance(found, list) else [found] if isinstance(found, dict) else []
        return next((str(p["id"]) for p in rows if p.get("externalId") == marker and p.get("id")), None)

    async def find_application(marker: Any) -> str | None:
        rows = await source.get_json("/applications/", {"byJobOpeningId": call.job_remote_id})
        return next((str(a["id"]) for a in rows or [] if a.get("externalId") == marker), None)

    async def post(path: str, body: Raw, what: str) -> str:
        return _created_id(await kit.create_request(source.client, "POST", path, json=body), what)

    person_id = await call.once_id("candidate", lambda: post("/persons/", _person_body(call, ext), "person"),
                                   find=find_person, marker=ext)  # fmt: skip
    app_id = await call.once_id(
        "application", lambda: post("/applications/", _application_body(source, call, person_id, ext), "application"),
        find=find_application, marker=ext,
    )  # fmt: skip
    files = list(call.files) + [a.value for a in call.answers if a.type == "FILE"]
    rows = [await _upload(source, call, f"attachment_{i}", app_id, f) for i, f in enumerate(files)]
    person, app = await _get(source, f"/persons/{person_id}"), await _application(source, app_id)
    out = [("persons", person), ("applications", app), *(("attachments", r) for r in rows)]
    return WriteResult(out, created={"application_remote_id": app_id, "candidate_remote_id": person_id})


@WRITES.import_tracked
async def import_tracked(source: kit.KitSource, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    rid = kit.tracked_id(call.body, None, "d.vinci", r"^\d{1,18}$")
    app = await _application(source, rid)
    created = {"application_remote_id": str(app["id"]), "candidate_remote_id": str(ref_id(app.get("person")))}
    return WriteResult([("applications", app)], created=created)


WRITES.add_tag(lambda s, c: _tags(s, c, add=True))
WRITES.remove_tag(lambda s, c: _tags(s, c, add=False))
ACTIONS = WRITES.actions()
