"""Onlyfy writes [conn]: create a candidate with its application in one ``POST /candidate`` (the CV inline as
base64, no multipart), or ``POST /application`` for a candidate the e-mail already names; upload application
files (``PATCH /application/{id}`` ``recruiter_files``, base64); candidate tags (``PATCH /candidate/{id}``
``candidate_tag_ids``); import a tracked application by its id (Kombo's ``onlyfy.application_id``).

Every POST, and the file PATCH (read as appending to ``recruiter_files`` [gap]), goes through create-once; ``find``
reads the vendor back (the candidate by ``GET /candidate?email=`` [conn], the candidate's applications by
``GET /application?candidate_id=`` [conn], an application's files by name). Tag writes send the full id list
(idempotent). Unverified readings: that ``PATCH /candidate/{id}`` accepts ``candidate_tag_ids`` as the create body
does, and that a recruiter-file PATCH appends.
"""

from __future__ import annotations

import base64
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import Action, AlreadyApplied, FileData, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.onlyfy.api import TAGS
from atsbridge.connectors.onlyfy.mappers import candidate_tag_names
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate
NO_STATUS = "Onlyfy's API has no verified way to set a status: the application starts in its job's first status"


WRITES = kit.WriteTable()


def _num(value: object) -> object:
    """Onlyfy ids are integers in JSON bodies (``"job_id": 1`` [conn])."""
    return int(str(value)) if str(value).isdigit() else value


def _rid(record: dict[str, Any] | None, what: str) -> str:
    rid = (record or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", f"this record has no Onlyfy {what} to write to")
    return str(rid)


def _one(body: Any, what: str) -> Raw:
    """A single-resource answer: the record itself, or wrapped in ``data`` (the Ruby client reads both)."""
    data = body.get("data", body) if isinstance(body, dict) else None
    if not isinstance(data, dict) or data.get("id") is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Onlyfy answered a {what} without an id", retryable=True)
    return data


async def _get(source: kit.KitSource, kind: str, rid: object) -> Raw:
    return _one(await source.get_json(f"/{kind}/{rid}"), kind)


def _file(f: FileData, **extra: Any) -> Raw:
    kind = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else f.content_type.rsplit("/", 1)[-1]
    return {"filename": f.name, "file_type": kind.replace("jpeg", "jpg"), "source": "candidate",
            "base64_content": base64.b64encode(f.content).decode("ascii"), **extra}  # fmt: skip


async def _candidate_by_email(source: kit.KitSource, email: str) -> Raw | None:
    rows = await source.all_records("candidates", "/candidate", {"email": email})
    return next((r for r in rows if str(r.get("email") or "").strip().lower() == email.lower()), None)


async def _application_for(source: kit.KitSource, candidate_id: object, job_id: object) -> Raw | None:
    rows = await source.all_records("applications", "/application", {"candidate_id": candidate_id})
    # checked here too: a server that ignored the filter must not hand over another candidate's application
    mine = (r for r in rows if str(r.get("candidate_id")) == str(candidate_id))
    return next((r for r in mine if str(r.get("job_id")) == str(job_id)), None)


def _profile(call: WriteCall[Create]) -> Raw:
    c = call.body.candidate
    profile: Raw = {"firstname": c.first_name, "lastname": c.last_name}
    if c.phone_number:
        profile["phone"] = c.phone_number
    if c.gender:
        profile["gender"] = {"MALE": "m", "FEMALE": "f", "OTHER": "d"}[c.gender]
    if c.location:
        profile.update({k: v for k, v in (("city_name", c.location.city), ("zip_code", c.location.zip_code),
                                          ("country_of_residence", c.location.country)) if v})  # fmt: skip
    return profile


async def _upload(source: kit.KitSource, call: WriteCall[Any], app_id: str, f: FileData, key: str) -> None:
    """``PATCH /application/{id}`` ``{"recruiter_files": [file]}``, once; found again by file name."""

    async def find(_: Any) -> Raw | None:
        files = (await _get(source, "application", app_id)).get("recruiter_files") or []
        found = next((x for x in files if isinstance(x, dict) and x.get("filename") == f.name), None)
        return {**found, "id": found.get("id") or f.name} if found else None

    async def create() -> Raw:
        body = {"recruiter_files": [_file(f, is_visible_for_candidate=False, upload_context="application")]}
        await kit.create_request(source.client, "PATCH", f"/application/{app_id}", json=body)
        found = await find(None)
        if found is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Onlyfy accepted the file but does not list it",
                              retryable=True)  # fmt: skip
        return found

    await call.once(key, create, find=find)


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    """A new e-mail: ``POST /candidate`` with ``job_id`` and the CV as ``cv_file`` (one call makes both, the
    answer names ``job_applications[0].id``). A known e-mail: ``POST /application`` for that candidate (refused
    as already applied when it has one for the job), its CV then uploaded as an application file."""
    job = call.job_remote_id or (call.job or {}).get("remote_id")
    if not job:
        raise RemoteError("REMOTE.INPUT_INVALID", "Onlyfy applications need a job")
    email = call.body.candidate.email_address.strip()
    files = list(call.files) + [a.value for a in call.answers if isinstance(a.value, FileData)]
    cv = next((f for f in files if f.type == "CV"), None)
    warnings = [NO_STATUS] if call.stage else []
    extra = call.remote_fields.get("candidate")
    existing = None if call.progress.get("candidate_create_started") else await _candidate_by_email(source, email)
    if existing is None:
        payload: Raw = {"email": email, "profile": _profile(call), "job_id": _num(job), "send_email": False}
        if cv:
            payload["cv_file"] = _file(cv)
        if call.body.source and call.body.source.id and call.body.source.id.isdigit():
            payload["source_id"] = int(call.body.source.id)
        payload.update(extra if isinstance(extra, dict) else {})

        async def create() -> Raw:
            response = await kit.create_request(source.client, "POST", "/candidate", json=payload)
            return _one(response.json(), "candidate")

        candidate = await call.once("candidate", create, find=lambda _: _candidate_by_email(source, email),
                                    marker=email)  # fmt: skip
        cand_id = candidate["id"]
        made = [a for a in candidate.get("job_applications") or [] if str(a.get("job_id", job)) == str(job)]
        app = made[0] if made and made[0].get("id") else await _application_for(source, cand_id, job)
        if app is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Onlyfy created the candidate without the application",
                              retryable=True)  # fmt: skip
        files = [f for f in files if f is not cv]
    else:
        cand_id = existing["id"]
        if call.progress.get("application_create_started") is None and await _application_for(source, cand_id, job):
            raise AlreadyApplied(f"{email} already applied to this Onlyfy job")

        async def create_app() -> Raw:
            body = {"job_id": _num(job), "candidate_id": _num(cand_id), "is_finished": True}
            response = await kit.create_request(source.client, "POST", "/application", json=body)
            return _one(response.json(), "application")

        app = await call.once("application", create_app, find=lambda _: _application_for(source, cand_id, job))
    app_id = str(app["id"])
    for i, f in enumerate(files):
        await _upload(source, call, app_id, f, f"file_{i}")
    records = [("candidates", await _get(source, "candidate", cand_id)),
               ("applications", await _get(source, "application", app_id))]  # fmt: skip
    return WriteResult(records, warnings, {"application_remote_id": app_id, "candidate_remote_id": str(cand_id)})


@WRITES.application_attachment
async def add_attachment(source: kit.KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    app_id = _rid(call.application, "application")
    await _upload(source, call, app_id, call.files[0], "attachment")
    return WriteResult([("applications", await _get(source, "application", app_id))],
                       created={"attachment_remote_id": f"{app_id}:{call.files[0].name}"})  # fmt: skip


async def _set_tags(source: kit.KitSource, cand_id: str, ids: list[object]) -> WriteResult:
    await source.client.request("PATCH", f"/candidate/{cand_id}", json={"candidate_tag_ids": ids})
    return WriteResult([("candidates", await _get(source, "candidate", cand_id))])


def _tag_ids(candidate: Raw) -> list[object]:
    return [t["id"] for t in candidate.get("candidate_tags") or [] if isinstance(t, dict) and "id" in t]


@WRITES.add_tag
async def add_tag(source: kit.KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    """Onlyfy tags are the tenant's list (``/candidate_tag``); an unknown name is refused with a warning, since no
    tag-creating endpoint is documented."""
    cand_id, name = _rid(call.candidate, "candidate"), call.body.tag.name
    candidate = await _get(source, "candidate", cand_id)
    if kit.with_tag(candidate_tag_names(candidate), name) is None:
        return WriteResult([("candidates", candidate)])
    tag = next((t for t in (await source.lookup(TAGS)).values() if kit.same_tag(str(t.get("name") or ""), name)), None)
    if tag is None:
        message = f"Onlyfy has no candidate tag {name.strip()!r} (tags are created in Onlyfy's settings)"
        raise RemoteError("REMOTE.INPUT_INVALID", message)
    return await _set_tags(source, cand_id, [*_tag_ids(candidate), tag["id"]])


@WRITES.remove_tag
async def remove_tag(source: kit.KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    cand_id, name = _rid(call.candidate, "candidate"), call.body.tag.name
    candidate = await _get(source, "candidate", cand_id)
    kept = [t["id"] for t in candidate.get("candidate_tags") or []
            if isinstance(t, dict) and "id" in t and not kit.same_tag(str(t.get("name") or ""), name)]  # fmt: skip
    if len(kept) == len(_tag_ids(candidate)):
        return WriteResult([("candidates", candidate)], [kit.missing_tag_warning(name)])
    return await _set_tags(source, cand_id, kept)


@WRITES.import_tracked
async def import_tracked(source: kit.KitSource, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    """``onlyfy.application_id`` (Kombo reads ``/v1/application/{id}``): the application and its candidate."""
    rid = kit.tracked_id(call.body, "onlyfy", "Onlyfy", r"^\d{1,18}$")
    app = await _get(source, "application", rid)
    cand = await _get(source, "candidate", app.get("candidate_id"))
    created = {"application_remote_id": str(app["id"]), "candidate_remote_id": str(cand["id"])}
    return WriteResult([("candidates", cand), ("applications", app)], created=created)


ACTIONS: dict[str, Action] = WRITES.actions()
