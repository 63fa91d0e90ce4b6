"""The fake's write endpoints, checked the way Teamtailor checks them: JSON:API documents of the right ``type``,
required relationships present and pointing at existing records, a stage of the application's own job."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from atsbridge.fakes.teamtailor import generate as g
from atsbridge.fakes.teamtailor.handlers import _found, _single
from atsbridge.fakes.teamtailor.state import FakeState
from atsbridge.fakes.teamtailor.store import BadRequest

Raw = dict[str, Any]
#: Write-only flags of POST /candidates: they steer the create, they are not stored.
_CANDIDATE_FLAGS = {"merge", "send-welcome-message", "set-consent-expiration"}


def _data(payload: Raw | None, type_: str) -> Raw:
    data = (payload or {}).get("data")
    if not isinstance(data, dict) or data.get("type") != type_:
        raise BadRequest(422, "Invalid document", f"expected a {type_} resource in data")
    return data


def _rel(fake: FakeState, data: Raw, name: str, type_: str, *, required: bool = True) -> Raw | None:
    linkage = ((data.get("relationships") or {}).get(name) or {}).get("data")
    if not isinstance(linkage, dict) or linkage.get("id") is None:
        if required:
            raise BadRequest(422, "Invalid relationship", f"{name} - must exist")
        return None
    found = fake.store.get(type_, str(linkage["id"]))
    if found is None:
        raise BadRequest(422, "Invalid relationship", f"{name} {linkage['id']} does not exist")
    return found


def _attributes(data: Raw, allowed: set[str]) -> Raw:
    attrs = data.get("attributes") or {}
    unknown = set(attrs) - allowed
    if unknown:
        raise BadRequest(400, "Param not allowed", f"{', '.join(sorted(unknown))} is not allowed")
    return dict(attrs)


def create_candidate(request: Request, fake: FakeState, payload: Raw | None) -> Response:
    """``merge: true`` upserts by email; without it a taken email (unless ``sourced``) is refused."""
    data = _data(payload, "candidates")
    template = g.template("candidates.json")["attributes"]
    attrs = _attributes(data, set(template) | _CANDIDATE_FLAGS)
    email = str(attrs.get("email") or "").strip()
    if not email and not attrs.get("sourced"):
        raise BadRequest(422, "Invalid attribute", "email - can't be blank")
    if not attrs.get("first-name"):
        raise BadRequest(422, "Invalid attribute", "first-name - can't be blank")
    existing = next((c for c in fake.of("candidates") if email and c["attributes"]["email"] == email), None)
    merge = bool(attrs.get("merge"))
    values = {k: v for k, v in attrs.items() if k not in _CANDIDATE_FLAGS}
    if existing is not None and merge:
        existing["attributes"].update(values)
        return _single(request, fake, fake.touch(existing))
    if existing is not None and not attrs.get("sourced"):
        raise BadRequest(422, "Invalid attribute", "email - has already been taken")
    cand = fake.store.put(g.make_candidate(fake.ids, len(fake.of("candidates")), g.BASE))
    now = fake.now()
    cand["attributes"].update({k: None for k in ("email", "phone", "linkedin-url", "referring-site", "resume")})
    cand["attributes"].update({"tags": [], "sourced": False, "created-at": now, "updated-at": now, **values})
    return _single(request, fake, cand, 201)


def update_candidate(request: Request, fake: FakeState, payload: Raw | None) -> Response:
    data = _data(payload, "candidates")
    cand = _found(fake, "candidates", request.path_params["id"])
    attrs = _attributes(data, set(cand["attributes"]) - {"created-at", "updated-at"})
    if "tags" in attrs and not (isinstance(attrs["tags"], list) and all(isinstance(t, str) for t in attrs["tags"])):
        raise BadRequest(422, "Invalid attribute", "tags - must be a list of strings")
    cand["attributes"].update(copy.deepcopy(attrs))
    return _single(request, fake, fake.touch(cand))


def create_application(request: Request, fake: FakeState, payload: Raw | None) -> Response:
    data = _data(payload, "job-applications")
    attrs = _attributes(data, {"cover-letter", "sourced", "send-default-reply", "send-user-notifications",
                               "referring-site", "referring-url"})  # fmt: skip
    cand = _rel(fake, data, "candidate", "candidates")
    job = _rel(fake, data, "job", "jobs")
    assert cand is not None and job is not None
    if job["attributes"]["status"] in ("archived", "draft"):
        raise BadRequest(422, "Invalid relationship", f"job - {job['id']} is not open for applications")
    if any(a["rel"]["job"] == ("jobs", job["id"]) for a in fake.store.related(cand, "job-applications")):
        raise BadRequest(422, "Invalid attribute", "candidate - has already applied to this job")
    inbox = fake.stages_of(job["id"])[0]
    app = g.make_application(fake.ids, cand, job, inbox, None, g.BASE)
    now = fake.now()
    app["attributes"].update({"created-at": now, "updated-at": now, "changed-stage-at": now, "referring-site": None,
                              "cover-letter": None, "sourced": False})  # fmt: skip
    app["attributes"].update({k: v for k, v in attrs.items() if k in app["attributes"]})
    return _single(request, fake, fake.store.put(app), 201)


def update_application(request: Request, fake: FakeState, payload: Raw | None) -> Response:
    """Stage moves (a stage of the same job), rejections (``reject-reason`` and/or ``rejected-at``)."""
    data = _data(payload, "job-applications")
    app = _found(fake, "job-applications", request.path_params["id"])
    attrs = _attributes(data, {"cover-letter", "rejected-at"})
    stage = _rel(fake, data, "stage", "stages", required=False)
    reason = _rel(fake, data, "reject-reason", "reject-reasons", required=False)
    if stage is not None and stage["rel"]["job"] != app["rel"]["job"]:
        raise BadRequest(422, "Invalid relationship", f"stage - {stage['id']} belongs to another job")
    if stage is not None:
        fake.move_stage(app["id"], stage["id"])
    if reason is not None:
        app["rel"]["reject-reason"] = ("reject-reasons", reason["id"])
        attrs.setdefault("rejected-at", fake.now())
    app["attributes"].update(attrs)
    return _single(request, fake, fake.touch(app))


def create_note(request: Request, fake: FakeState, payload: Raw | None) -> Response:
    data = _data(payload, "notes")
    text = (data.get("attributes") or {}).get("note")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest(422, "Invalid attribute", "note - can't be blank")
    cand = _rel(fake, data, "candidate", "candidates")
    user = _rel(fake, data, "user", "users")
    assert cand is not None and user is not None
    note = fake.add_note(cand["id"], text, user["id"])
    return _single(request, fake, note, 201)


def create_answer(request: Request, fake: FakeState, payload: Raw | None) -> Response:
    data = _data(payload, "answers")
    attrs = _attributes(data, {"boolean", "choices", "range", "text", "date"})
    cand = _rel(fake, data, "candidate", "candidates")
    question = _rel(fake, data, "question", "questions")
    assert cand is not None and question is not None
    values = {"boolean": None, "choices": [], "range": None, "text": None, **attrs}
    return _single(request, fake, fake.store.put(g.make_answer(fake.ids, cand, question, values, fake.now())), 201)
