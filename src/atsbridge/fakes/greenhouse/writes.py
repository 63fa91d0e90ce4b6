"""What the fake Greenhouse does on a write: Greenhouse's rules, then the change, in v1 record shapes.

Each operation validates the whole request before changing anything (so a refused write leaves no
trace), and answers with the record as a read would show it. Refusals are :class:`Refused`: 422 with v1's
documented validation body (``{"message": "Validation error", "errors": [{"message", "field"}]}``), or
404 for a path id that does not exist. Callers hold :attr:`FakeState.lock`.

Rules encoded here: a job must be ``open`` to take applications; a candidate has at most one application
per job; stages belong to one job; only ``active`` applications move or are rejected; attachment content
must be base64 with a ``content_type``; answers must name a question of the job's posts (and an option of
a select question); tag names are unique regardless of case.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from atsbridge.core.timeutil import format_ts
from atsbridge.fakes.greenhouse.generate import template
from atsbridge.fakes.greenhouse.state import FakeState, Json

EMAIL_TYPES = frozenset({"personal", "work", "other"})
PHONE_TYPES = frozenset({"home", "work", "mobile", "skype", "other"})
ADDRESS_TYPES = frozenset({"home", "work", "other"})
WEBSITE_TYPES = frozenset({"personal", "company", "portfolio", "blog", "other"})
FILE_TYPES = frozenset({"resume", "cover_letter", "other", "take_home_test", "offer_letter", "admin_only"})
VISIBILITIES = frozenset({"public", "private", "admin_only"})


class Refused(Exception):
    """A write Greenhouse refuses: ``status`` and the message it gives (for ``field``)."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field

    def body(self) -> Json:
        if self.status == 404:
            return {"message": self.message}
        return {"message": "Validation error", "errors": [{"message": self.message, "field": self.field}]}


# ------------------------------------------------------------------------------------------ helpers
def _int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise Refused(422, f"{field} must be an integer", field)
    return int(value)


def _existing(fake: FakeState, kind: str, value: Any, field: str, label: str) -> Json:
    rid = _int(value, field)
    if rid not in fake.tables[kind]:
        raise Refused(422, f"{label} {rid} does not exist", field)
    return fake.get(kind, rid)


def _found(fake: FakeState, kind: str, rid: int, label: str) -> Json:
    if rid not in fake.tables[kind]:
        raise Refused(404, f"{label} {rid} not found")
    return fake.get(kind, rid)


def _text(body: Json, field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise Refused(422, f"{field} can't be blank", field)
    return value


def _typed(items: Any, field: str, kinds: frozenset[str] | None) -> list[Json]:
    """v1's ``[{value, type}]`` lists (``social_media_addresses`` have no type)."""
    out = []
    for item in items or []:
        if not isinstance(item, dict) or not isinstance(item.get("value"), str) or not item["value"]:
            raise Refused(422, "each entry needs a value", field)
        if kinds is not None and item.get("type") not in kinds:
            raise Refused(422, f"type must be one of: {', '.join(sorted(kinds))}", f"{field}.type")
        out.append({"value": item["value"], **({"type": item["type"]} if kinds is not None else {})})
    return out


def user_ref(fake: FakeState, user_id: int) -> Json:
    user = fake.get("users", user_id)
    return {k: user.get(k) for k in ("id", "first_name", "last_name", "name", "employee_id")}


def _stages(fake: FakeState, job_id: int) -> list[Json]:
    return sorted((fake.get("job_interview_stages", i) for i in fake.ids("job_interview_stages", job_id=job_id)),
                  key=lambda s: s.get("priority") or 0)  # fmt: skip


def _stage_of(fake: FakeState, job_id: int, value: Any, field: str) -> Json:
    stage = _existing(fake, "job_interview_stages", value, field, "Stage")
    if stage.get("job_id") != job_id:
        raise Refused(422, f"Stage {stage['id']} is not a stage of job {job_id}", field)
    return stage


def _job_of(app: Json) -> int | None:
    jobs = app.get("jobs") or []
    return jobs[0]["id"] if len(jobs) == 1 else None


def _active(app: Json) -> None:
    if app.get("prospect"):
        raise Refused(422, "Application is a prospect: only candidate applications can be moved or rejected", "status")
    if app.get("status") != "active":
        raise Refused(422, f"Application must be 'active', is currently '{app.get('status')}'", "status")


# --------------------------------------------------------------------------------------- candidates
def create_candidate(fake: FakeState, body: Json) -> Json:
    fields = {
        "first_name": _text(body, "first_name"), "last_name": _text(body, "last_name"),
        "company": body.get("company"), "title": body.get("title"),
        "email_addresses": _typed(body.get("email_addresses"), "email_addresses", EMAIL_TYPES),
        "phone_numbers": _typed(body.get("phone_numbers"), "phone_numbers", PHONE_TYPES),
        "addresses": _typed(body.get("addresses"), "addresses", ADDRESS_TYPES),
        "website_addresses": _typed(body.get("website_addresses"), "website_addresses", WEBSITE_TYPES),
        "social_media_addresses": _typed(body.get("social_media_addresses"), "social_media_addresses", None),
    }  # fmt: skip
    tags = body.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise Refused(422, "tags must be a list of names", "tags")
    c = template("candidates")
    for key in ("applications", "application_ids", "attachments", "created_at", "updated_at", "last_activity"):
        c.pop(key, None)  # rendered from the state on each request
    c.update(fields, id=fake.next_id("candidates"), is_private=False, recruiter=None, coordinator=None)
    c.update(tags=[], educations=[], employments=[], linked_user_ids=[], custom_fields={}, keyed_custom_fields={})
    fake.insert("candidates", c)
    for name in tags:
        apply_tag(fake, {"candidate_id": c["id"], "candidate_tag_id": tag_named(fake, name)["id"]})
    return c


# ------------------------------------------------------------------------------------- applications
def _check_job(fake: FakeState, body: Json) -> Json:
    job = _existing(fake, "jobs", body.get("job_id"), "job_id", "Job")
    if job.get("status") != "open":
        raise Refused(422, f"Job {job['id']} is {job.get('status')}: the job is not accepting applications", "job_id")
    return job


def _questions(fake: FakeState, job_id: int) -> dict[str, Json]:
    out: dict[str, Json] = {}
    for post in fake.ids("job_posts", job_id=job_id):
        for q in fake.get("job_posts", post).get("questions") or []:
            out.setdefault(str(q.get("name") or "").removesuffix("[]"), q)
    return out


def _answer(q: Json, value: Any, field: str) -> str:
    """The stored answer: plain text as v1 shows it (booleans ``Yes``/``No``, options by label)."""
    labels = {str(v.get("value")): str(v.get("label")) for v in q.get("values") or []}
    kind = q.get("type")
    if kind == "boolean":
        if value not in (True, False, 0, 1):
            raise Refused(422, "must be true or false", field)
        return "Yes" if value else "No"
    if kind in ("single_select", "multi_select"):
        chosen = value if isinstance(value, list) and kind == "multi_select" else [value]
        unknown = [v for v in chosen if str(v) not in labels]
        if unknown or not chosen:
            raise Refused(422, f"{unknown or value!r} is not an option of {q.get('name')}", field)
        return ", ".join(labels[str(v)] for v in chosen)
    if kind == "attachment":
        raise Refused(422, "attachment questions take attachments, not answers", field)
    if isinstance(value, dict | list):
        raise Refused(422, "must be text", field)
    return str(value)


def _answers(fake: FakeState, job_id: int, given: Any) -> list[Json]:
    questions = _questions(fake, job_id)
    out = []
    for i, item in enumerate(given or []):
        field = f"answers[{i}]"
        q = questions.get(str((item or {}).get("question_id")))
        if q is None:
            raise Refused(422, f"question {(item or {}).get('question_id')!r} is not on job {job_id}'s form", field)
        out.append({"question": q.get("label"), "answer": _answer(q, item.get("answer"), field)})
    return out


def _files(given: Any, field: str) -> list[tuple[Json, bytes, str]]:
    out = []
    for i, item in enumerate(given or []):
        where = f"{field}[{i}]." if field else ""
        if not isinstance(item, dict):
            raise Refused(422, "each attachment must be an object", field or "attachment")
        name = _text(item, "filename")
        if item.get("type") not in FILE_TYPES:
            raise Refused(422, f"type must be one of: {', '.join(sorted(FILE_TYPES))}", f"{where}type")
        if item.get("url"):
            raise Refused(422, "this Greenhouse fake cannot fetch url attachments; send content", f"{where}url")
        try:
            content = base64.b64decode(str(item.get("content") or ""), validate=True)
        except (binascii.Error, ValueError):
            content = b""
        if not content:
            raise Refused(422, "content must be non-empty Base64", f"{where}content")
        if not item.get("content_type"):
            raise Refused(422, "content_type is required with content", f"{where}content_type")
        out.append(({"filename": name, "type": item["type"]}, content, str(item["content_type"])))
    return out


def _store_files(fake: FakeState, files: list[tuple[Json, bytes, str]], cand: int, app: int | None) -> list[int]:
    ids = []
    for meta, content, kind in files:
        aid = fake.next_id("attachments")
        fake.insert("attachments", {"id": aid, "candidate_id": cand, "application_id": app, **meta})
        fake.store_content(aid, content, kind)
        ids.append(aid)
    return ids


def _credit(fake: FakeState, referrer: Any) -> Json | None:
    if not referrer:
        return None
    if not isinstance(referrer, dict) or referrer.get("type") != "id":
        raise Refused(422, "only referrer type 'id' is supported here", "referrer.type")
    return user_ref(fake, _existing(fake, "users", referrer.get("value"), "referrer.value", "User")["id"])


def create_application(fake: FakeState, body: Json) -> Json:
    cand = _existing(fake, "candidates", body.get("candidate_id"), "candidate_id", "Candidate")
    job = _check_job(fake, body)
    for other in fake.ids("applications", candidate_id=cand["id"]):
        app = fake.get("applications", other)
        if _job_of(app) == job["id"] and not app.get("prospect"):
            raise Refused(422, f"Candidate {cand['id']} already has an application for job {job['id']}", "job_id")
    stages = _stages(fake, job["id"])
    if not stages:
        raise Refused(422, f"Job {job['id']} has no interview stages", "job_id")
    given_stage = body.get("initial_stage_id")
    stage = _stage_of(fake, job["id"], given_stage, "initial_stage_id") if given_stage is not None else stages[0]
    source = None
    if body.get("source_id") is not None:
        found = _existing(fake, "sources", body["source_id"], "source_id", "Source")
        source = {"id": found["id"], "public_name": found["name"]}
    credited = _credit(fake, body.get("referrer"))
    answers = _answers(fake, job["id"], body.get("answers"))
    files = _files(body.get("attachments"), "attachments")
    posts = sorted(fake.ids("job_posts", job_id=job["id"]))
    a = template("applications")
    a.pop("attachments", None)
    a.update(id=fake.next_id("applications"), candidate_id=cand["id"], prospect=False, status="active")
    a.update(source=source, credited_to=credited, recruiter=None, coordinator=None, answers=answers)
    a.update(jobs=[{"id": job["id"], "name": job["name"]}], job_post_id=posts[0] if posts else None)
    a.update(current_stage={"id": stage["id"], "name": stage["name"]}, rejected_at=None, rejection_reason=None)
    a.update(rejection_details=None, custom_fields={}, keyed_custom_fields={}, location=None)
    fake.insert("applications", a)
    _store_files(fake, files, cand["id"], a["id"])
    fake.touch("candidates", cand["id"])
    return a


def move(fake: FakeState, app_id: int, body: Json) -> Json:
    """v3's move: ``to_stage_id`` on the same job, ``to_job_id`` to transfer, neither to advance."""
    app = _found(fake, "applications", app_id, "Application")
    _active(app)
    job_id = _job_of(app)
    if body.get("to_job_id") is not None and _int(body["to_job_id"], "to_job_id") != job_id:
        job_id = _check_job(fake, {"job_id": body["to_job_id"]})["id"]
    assert job_id is not None
    if body.get("to_stage_id") is not None:
        stage = _stage_of(fake, job_id, body["to_stage_id"], "to_stage_id")
    else:
        stages = _stages(fake, job_id)
        current = [s["id"] for s in stages].index((app.get("current_stage") or {}).get("id", stages[0]["id"]))
        if current + 1 >= len(stages) and job_id == _job_of(app):
            raise Refused(422, "The application is in the last stage and cannot advance", "to_stage_id")
        stage = stages[0] if job_id != _job_of(app) else stages[current + 1]
    job = fake.get("jobs", job_id)
    app.update(jobs=[{"id": job_id, "name": job["name"]}], current_stage={"id": stage["id"], "name": stage["name"]})
    fake.touch("applications", app_id)
    return app


def reject(fake: FakeState, app_id: int, body: Json, actor: Json | None) -> Json:
    app = _found(fake, "applications", app_id, "Application")
    _active(app)
    reason = None
    if body.get("rejection_reason_id") is not None:
        reason = _existing(fake, "rejection_reasons", body["rejection_reason_id"], "rejection_reason_id",
                           "Rejection reason")  # fmt: skip
    email = body.get("rejection_email")
    if email is not None and (not isinstance(email, dict) or not email.get("email_template_id")):
        raise Refused(422, "email_template_id is required to send a rejection email", "rejection_email")
    notes = body.get("notes")
    app.update(status="rejected", rejected_at=format_ts(fake.now()), rejection_reason=dict(reason or {}) or None)
    app["rejection_details"] = {"custom_fields": {}, "keyed_custom_fields": {}}
    fake.touch("applications", app_id)
    if isinstance(notes, str) and notes.strip():
        _insert_note(fake, app["candidate_id"], app_id, notes, "public", actor)
    return app


# ------------------------------------------------------------------------------ notes, files, tags
def _insert_note(fake: FakeState, cand: int, app: int | None, text: str, visibility: str, actor: Json | None) -> Json:
    note = {**template("activity_feed")["notes"][0], "id": fake.next_id("notes"), "candidate_id": cand,
            "application_id": app, "body": text, "user": actor, "private": visibility != "public",
            "visiblity": visibility, "visibility": visibility}  # fmt: skip
    note.pop("created_at", None)  # rendered from the row
    fake.insert("notes", note)
    fake.touch("candidates", cand)
    return note


def _owned(fake: FakeState, body: Json) -> tuple[Json, int | None]:
    """The candidate a note/file is for, and the application (which must be that candidate's)."""
    cand = _existing(fake, "candidates", body.get("candidate_id"), "candidate_id", "Candidate")
    app_id = body.get("application_id")
    if app_id is None:
        return cand, None
    app = _existing(fake, "applications", app_id, "application_id", "Application")
    if app["candidate_id"] != cand["id"]:
        raise Refused(422, f"Application {app['id']} does not belong to candidate {cand['id']}", "application_id")
    return cand, app["id"]


def add_note(fake: FakeState, body: Json, actor: Json | None) -> Json:
    cand, app = _owned(fake, body)
    text = _text(body, "body")
    visibility = body.get("visibility", "public")
    if visibility not in VISIBILITIES:
        raise Refused(422, f"visibility must be one of: {', '.join(sorted(VISIBILITIES))}", "visibility")
    return _insert_note(fake, cand["id"], app, text, str(visibility), actor)


def add_attachment(fake: FakeState, body: Json) -> Json:
    cand, app = _owned(fake, body)
    if body.get("visibility") is not None and body["visibility"] not in VISIBILITIES:
        raise Refused(422, f"visibility must be one of: {', '.join(sorted(VISIBILITIES))}", "visibility")
    (aid,) = _store_files(fake, _files([body], ""), cand["id"], app)
    fake.touch("candidates", cand["id"])
    return fake.get("attachments", aid)


def tag_named(fake: FakeState, name: str) -> Json:
    """The tag of that name (any case), created when missing (as v1's candidate ``tags[]`` does)."""
    for i in fake.tables["candidate_tags"]:
        tag = fake.get("candidate_tags", i)
        if str(tag["name"]).lower() == name.strip().lower():
            return tag
    return create_tag(fake, {"name": name})


def create_tag(fake: FakeState, body: Json) -> Json:
    name = _text(body, "name").strip()
    if any(str(fake.get("candidate_tags", i)["name"]).lower() == name.lower() for i in fake.tables["candidate_tags"]):
        raise Refused(422, f"Name {name!r} has already been taken", "name")
    return fake.insert("candidate_tags", {"id": fake.next_id("candidate_tags"), "name": name})


def apply_tag(fake: FakeState, body: Json) -> tuple[Json, bool]:
    """(the applied-tag row, created now). Applying a tag twice is not an error."""
    cand = _existing(fake, "candidates", body.get("candidate_id"), "candidate_id", "Candidate")
    tag = _existing(fake, "candidate_tags", body.get("candidate_tag_id"), "candidate_tag_id", "Tag")
    for row in fake.ids("applied_candidate_tags", candidate_id=cand["id"]):
        if fake.get("applied_candidate_tags", row)["candidate_tag_id"] == tag["id"]:
            return fake.get("applied_candidate_tags", row), False
    row_id = fake.next_id("applied_candidate_tags")
    fake.insert("applied_candidate_tags", {"id": row_id, "candidate_id": cand["id"], "candidate_tag_id": tag["id"]})
    cand["tags"] = [*cand.get("tags", []), tag["name"]]
    fake.touch("candidates", cand["id"])
    return fake.get("applied_candidate_tags", row_id), True


def unapply_tag(fake: FakeState, row_id: int) -> None:
    row = _found(fake, "applied_candidate_tags", row_id, "Applied candidate tag")
    cand = fake.get("candidates", row["candidate_id"])
    name = fake.get("candidate_tags", row["candidate_tag_id"])["name"]
    cand["tags"] = [t for t in cand.get("tags", []) if t != name]
    fake.remove("applied_candidate_tags", row_id)
    fake.touch("candidates", cand["id"])
