"""The fake's write methods: bodies checked as Ashby does, answers in the recorded ``write_*`` shapes.

Recorded shapes: ``candidate.create``, ``application.create``, ``application.changeStage``,
``application.changeSource``, ``application.update``, ``candidate.createNote``, ``candidate.update``.
Documented ones (no recording): ``candidate.search`` (candidate list), ``candidate.addTag`` /
``removeTag`` / ``uploadResume`` / ``uploadFile`` (the candidate), ``candidateTag.create`` (the tag),
``file.createFileUploadHandle`` (``{url, fields, handle}``), ``file.info`` (``{url}``).
"""

from __future__ import annotations

import copy
import secrets
from typing import Any

from atsbridge.fakes.ashby import generate as g
from atsbridge.fakes.ashby.state import AshbyError, FakeState

Raw = dict[str, Any]
OPEN_JOB = frozenset({"Open", "Draft"})


def render_candidate(cand: Raw, form: str = "candidate_single.json") -> Raw:
    return g.render(cand, g.shape(form), "candidate")


def render_application(app: Raw, form: str) -> Raw:
    return g.render(app, g.shape(form), "application")


def candidate_create(fake: FakeState, body: Raw, base: str) -> Raw:
    name = str(body.get("name") or "").strip()
    if not name:
        raise AshbyError("invalid_input", "name is required")
    cand = g.make_candidate(fake.ids, len(fake.candidates) + 1000)
    now = g.iso(fake.now())
    email, phone = body.get("email"), body.get("phoneNumber")
    emails = [{"value": email, "type": "Personal", "isPrimary": True}] if email else []
    emails += [{"value": e, "type": "Other", "isPrimary": False} for e in body.get("alternateEmailAddresses") or []]
    links = [{"type": kind, "url": body[key]} for key, kind in (("linkedInUrl", "LinkedIn"), ("githubUrl", "GitHub"),
                                                               ("website", "Website")) if body.get(key)]  # fmt: skip
    loc = body.get("location") or {}
    cand.update(
        name=name, createdAt=now, updatedAt=now, primaryEmailAddress=emails[0] if emails else None,
        emailAddresses=emails,
        primaryPhoneNumber={"value": phone, "type": "Mobile", "isPrimary": True} if phone else None,
        phoneNumbers=[{"value": phone, "type": "Mobile", "isPrimary": True}] if phone else [], socialLinks=links,
        position=None, company=None, creditedToUser=_user(fake, body.get("creditedToUserId")),
        location={"id": fake.ids.uuid(), "locationSummary": ", ".join(v for v in (loc.get("city"), loc.get("region"),
                  loc.get("country")) if v), "locationComponents": []} if loc else None,
    )  # fmt: skip
    fake.candidates[cand["id"]] = fake.stamp(cand)
    return render_candidate(cand, "write_create_candidate.response.json")


def _user(fake: FakeState, user_id: object) -> Raw | None:
    return copy.deepcopy(fake.get(fake.users, user_id, "user")) if user_id else None


def candidate_search(fake: FakeState, body: Raw, base: str) -> list[Raw]:
    email, name = str(body.get("email") or "").lower(), str(body.get("name") or "").lower()
    if not email and not name:
        raise AshbyError("invalid_input", "give email or name")
    found = [c for c in fake.candidates.values()
             if (email and email in {e["value"].lower() for e in c["emailAddresses"]})
             or (name and name == c["name"].lower())]  # fmt: skip
    return [render_candidate(c, "candidates.json") for c in found[:100]]


def application_create(fake: FakeState, body: Raw, base: str) -> Raw:
    cand = fake.get(fake.candidates, body.get("candidateId"), "candidate")
    job = fake.get(fake.jobs, body.get("jobId"), "job")
    if job["status"] not in OPEN_JOB:
        raise AshbyError("job_not_open", f"Job {job['id']} is {job['status']}")
    stages = fake.plans[job["defaultInterviewPlanId"]]
    stage = fake.stage(body["interviewStageId"]) if body.get("interviewStageId") else stages[0]
    if stage not in stages:
        raise AshbyError("invalid_input", "interviewStageId is not a stage of the job's interview plan")
    if any(fake.applications[a]["job"]["id"] == job["id"] for a in cand["applicationIds"] if a in fake.applications):
        raise AshbyError("application_already_exists", "The candidate already has an application for this job")
    source = next((s for s in fake.sources if s["id"] == body.get("sourceId")), None)
    app = g.make_application(fake.ids, cand, job, stage, source or {})
    now = g.iso(fake.now())
    app.update(createdAt=now, updatedAt=now, source=source, appliedViaJobPostingId=None,
               applicationHistory=[{"id": fake.ids.uuid(), "stageId": stage["id"], "title": stage["title"],
                                    "stageNumber": 0, "enteredStageAt": now, "allowedActions": ["set_entered_at"],
                                    "actorId": None}])  # fmt: skip
    fake.applications[app["id"]] = fake.stamp(app)
    fake.touch(cand)
    return render_application(app, "write_create_application.response.json")


def change_stage(fake: FakeState, body: Raw, base: str) -> Raw:
    app = fake.change_stage(str(body.get("applicationId")), str(body.get("interviewStageId")),
                            body.get("archiveReasonId"))  # fmt: skip
    return render_application(app, "write_change_stage.response.json")


def change_source(fake: FakeState, body: Raw, base: str) -> Raw:
    app = fake.get(fake.applications, body.get("applicationId"), "application")
    source = next((s for s in fake.sources if s["id"] == body.get("sourceId")), None)
    if source is None:
        raise AshbyError("source_not_found", f"No source with id {body.get('sourceId')!r}")
    app["source"] = copy.deepcopy(source)
    return render_application(fake.touch(app), "write_change_source.response.json")


def application_update(fake: FakeState, body: Raw, base: str) -> Raw:
    app = fake.get(fake.applications, body.get("applicationId"), "application")
    if body.get("sourceId"):
        app["source"] = copy.deepcopy(next(s for s in fake.sources if s["id"] == body["sourceId"]))
    return render_application(fake.touch(app), "write_update_application.response.json")


def create_note(fake: FakeState, body: Raw, base: str) -> Raw:
    given = body.get("note")
    content = given.get("value") if isinstance(given, dict) else given
    if not isinstance(content, str) or not content.strip():
        raise AshbyError("invalid_input", "note is required")
    if isinstance(given, dict) and given.get("type") not in ("text/plain", "text/html"):
        raise AshbyError("invalid_input", "note.type must be text/plain or text/html")
    note = fake.add_note(str(body.get("candidateId")), content)
    note["isPrivate"] = bool(body.get("isPrivate"))
    return g.render(note, g.shape("write_create_note.response.json"))


def candidate_update(fake: FakeState, body: Raw, base: str) -> Raw:
    changes = {k: body[k] for k in ("name", "company", "position", "school") if k in body}
    cand = fake.edit_candidate(str(body.get("candidateId")), **changes)
    return render_candidate(cand, "write_update_candidate.response.json")


def tag_create(fake: FakeState, body: Raw, base: str) -> Raw:
    title = str(body.get("title") or "").strip()
    if not title:
        raise AshbyError("invalid_input", "title is required")
    tag = fake.stamp({"id": fake.ids.uuid(), "title": title, "isArchived": False})
    fake.tags[tag["id"]] = tag
    return {k: v for k, v in tag.items() if not k.startswith("_")}


def _tagging(fake: FakeState, body: Raw, add: bool) -> Raw:
    cand = fake.get(fake.candidates, body.get("candidateId"), "candidate")
    tag = fake.get(fake.tags, body.get("tagId"), "candidate_tag")
    held = [t for t in cand["tags"] if t["id"] != tag["id"]]
    cand["tags"] = held + ([{"id": tag["id"], "title": tag["title"]}] if add else [])
    return render_candidate(fake.touch(cand))


def add_tag(fake: FakeState, body: Raw, base: str) -> Raw:
    return _tagging(fake, body, True)


def remove_tag(fake: FakeState, body: Raw, base: str) -> Raw:
    return _tagging(fake, body, False)


def upload_handle(fake: FakeState, body: Raw, base: str) -> Raw:
    context = body.get("fileUploadContext")
    if context not in ("CandidateResume", "CandidateFiles", "ApplicationForm") or not body.get("fileName"):
        raise AshbyError("invalid_input", "fileUploadContext and fileName are required")
    token = secrets.token_urlsafe(12)
    fake.uploads[token] = {"name": body["fileName"], "contentType": body.get("contentType") or
                           "application/octet-stream", "data": None}  # fmt: skip
    return {"url": f"{base}/_uploads/{token}", "fields": {"key": f"uploads/{token}", "policy": "fake"},
            "handle": token}  # fmt: skip


def _attach(fake: FakeState, body: Raw, key: str, resume: bool) -> Raw:
    cand = fake.get(fake.candidates, body.get("candidateId"), "candidate")
    upload = fake.uploads.get(str(body.get(key)))
    if upload is None or upload["data"] is None:
        raise AshbyError("invalid_input", f"{key} does not name an uploaded file")
    handle = g.file_handle(fake.ids, cand["id"], upload["name"], "ResumeFile" if resume else "CandidateFile")
    fake.files[handle["handle"]] = (upload["name"], upload["contentType"], upload["data"])
    del fake.uploads[str(body[key])]
    cand["fileHandles"].append(handle)
    if resume:
        cand["resumeFileHandle"] = copy.deepcopy(handle)
    return render_candidate(fake.touch(cand))


def upload_resume(fake: FakeState, body: Raw, base: str) -> Raw:
    return _attach(fake, body, "resumeHandle", True)


def upload_file(fake: FakeState, body: Raw, base: str) -> Raw:
    return _attach(fake, body, "fileHandle", False)


def file_info(fake: FakeState, body: Raw, base: str) -> Raw:
    token = str(body.get("fileHandle") or "")
    if token not in fake.files:
        raise AshbyError("file_not_found", "No file with that handle")
    return {"url": f"{base}/_files/{token}"}


WRITES = {
    "candidate.create": candidate_create, "candidate.search": candidate_search, "candidate.update": candidate_update,
    "candidate.createNote": create_note, "candidate.addTag": add_tag, "candidate.removeTag": remove_tag,
    "candidate.uploadResume": upload_resume, "candidate.uploadFile": upload_file, "candidateTag.create": tag_create,
    "application.create": application_create, "application.changeStage": change_stage,
    "application.changeSource": change_source, "application.update": application_update,
    "file.createFileUploadHandle": upload_handle, "file.info": file_info,
}  # fmt: skip
