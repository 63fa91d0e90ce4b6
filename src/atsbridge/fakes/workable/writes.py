"""The fake's write endpoints: request bodies checked as Workable does, answers in the recorded shapes.

``POST /jobs/{shortcode}/candidates`` answers ``{"status": "created", "candidate": <detail>}`` (recorded);
``move``, ``disqualify`` and ``revert`` answer an empty body (recorded); comments ``{"id": ...}`` (recorded);
``PUT .../tags`` ``{"tags": [...]}`` (recorded). Failures answer ``{"error": "..."}`` with 404 or 422.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from atsbridge.fakes.workable import generate as g
from atsbridge.fakes.workable.state import FakeState, WorkableError

Raw = dict[str, Any]
OPEN_STATES = frozenset({"published", "draft"})


def _decode(data: object, field: str) -> bytes:
    if not isinstance(data, str):
        raise WorkableError(422, f"{field}: data must be base64")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise WorkableError(422, f"{field}: data is not valid base64") from None


def _answers(fake: FakeState, shortcode: str, given: object) -> list[Raw]:
    """Create-style answers (``question_key`` + one of body/checked/choices/date/value/file) -> the read shape."""
    questions = {q["id"]: q for q in fake.questions.get(shortcode, [])}
    out = []
    for item in given if isinstance(given, list) else []:
        question = questions.get(item.get("question_key"))
        if question is None:
            raise WorkableError(422, f"Unknown question_key {item.get('question_key')!r}")
        answer: Raw
        if "choices" in item:
            bodies = {c["id"]: c["body"] for c in question.get("choices") or []}
            unknown = [c for c in item["choices"] if c not in bodies]
            if unknown:
                raise WorkableError(422, f"Unknown choices {unknown} for question {question['id']}")
            answer = {"choices": [{"body": bodies[c]} for c in item["choices"]]}
        elif "file" in item:
            _decode((item["file"] or {}).get("data"), "answers.file")
            answer = {"file_url": f"https://example.invalid/answers/{question['id']}"}
        else:
            kind = next((k for k in ("body", "checked", "date", "value") if k in item), None)
            if kind is None:
                raise WorkableError(422, f"Answer to {question['id']} has no value")
            answer = {kind: item[kind]}
        out.append({"question": {"body": question["body"], "key": question["id"]}, "answer": answer})
    return out


def create_candidate(fake: FakeState, shortcode: str, payload: Raw, stage_slug: str | None) -> Raw:
    job = fake.jobs.get(shortcode)
    if job is None:
        raise WorkableError(404, "Not found")
    if job["state"] not in OPEN_STATES:
        raise WorkableError(422, f"Job {shortcode} is {job['state']} and accepts no candidates")
    given = payload.get("candidate")
    if not isinstance(given, dict):
        raise WorkableError(422, "candidate is missing")
    first, last = given.get("firstname"), given.get("lastname")
    if not (first and last) and given.get("name"):
        first, _, last = str(given["name"]).partition(" ")
    if not first or not last or not given.get("email"):
        raise WorkableError(422, "candidate: name and email can't be blank")
    sourced = bool(payload.get("sourced", True))
    stage = fake.stage(shortcode, stage_slug or ("sourced" if sourced else "applied"))
    answers = _answers(fake, shortcode, given.get("answers"))
    resume = given.get("resume")
    content = _decode(resume.get("data"), "resume") if isinstance(resume, dict) else None
    n = len(fake.candidates) + 1000
    cand = g.make_candidate(fake.ids, n, job, stage)
    now = g.iso(fake.now())
    experience = [e for e in given.get("experience_entries") or [] if isinstance(e, dict)]
    cand.update(
        name=f"{first} {last}", firstname=first, lastname=last, email=given["email"], headline=given.get("headline"),
        phone=given.get("phone"), address=given.get("address"), sourced=sourced, domain=given.get("domain"),
        outlet="SPI", common_source=given.get("domain") or "Unknown", common_source_category="Other",
        created_at=now, updated_at=now, answers=answers, tags=list(given.get("tags") or []), hired_at=None,
        moved_to_offer_at=None, social_profiles=given.get("social_profiles") or [], experience_entries=experience,
        summary=given.get("summary"), cover_letter=given.get("cover_letter"),
    )  # fmt: skip
    if content is not None and isinstance(resume, dict):
        name = str(resume.get("name") or "resume.pdf")
        cand["resume_metadata"] = {"filename": name, "filetype": name.rsplit(".", 1)[-1].lower(), "created_at": now,
                                   "updated_at": now}  # fmt: skip
        fake.resumes[cand["id"]] = content
    else:
        cand["resume_metadata"] = None
    fake.candidates[cand["id"]] = cand
    fake.activities[cand["id"]] = [g.activity(fake.ids, "uploaded" if sourced else "applied", fake.now(), stage,
                                              None, None)]  # fmt: skip
    return cand


def comment(fake: FakeState, candidate_id: str, payload: Raw) -> Raw:
    body = payload.get("comment")
    if not isinstance(body, dict) or not str(body.get("body") or "").strip():
        raise WorkableError(422, "comment body can't be blank")
    attachment = body.get("attachment")
    file = None
    if isinstance(attachment, dict):
        file = (str(attachment.get("name") or "file"), _decode(attachment.get("data"), "comment.attachment"))
    fake.candidate(candidate_id)
    row = fake.add_comment(candidate_id, str(body["body"]), _member(payload), file)
    return {"id": row["id"]}


def _member(payload: Raw) -> str:
    member = payload.get("member_id")
    if not member:
        raise WorkableError(422, "member_id is required")
    return str(member)


def move(fake: FakeState, candidate_id: str, payload: Raw) -> None:
    target = payload.get("target_stage")
    if not target:
        raise WorkableError(422, "target_stage is required")
    fake.move(candidate_id, str(target), _member(payload))


def disqualify(fake: FakeState, candidate_id: str, payload: Raw) -> None:
    fake.candidate(candidate_id)
    fake.disqualify(candidate_id, payload.get("disqualify_reason_id"), payload.get("disqualify_note"),
                    bool(payload.get("withdrew")), _member(payload))  # fmt: skip


def revert(fake: FakeState, candidate_id: str, payload: Raw) -> None:
    fake.candidate(candidate_id)
    fake.revert(candidate_id, _member(payload))


def rate(fake: FakeState, candidate_id: str, payload: Raw) -> None:
    fake.candidate(candidate_id)
    scale, grade = payload.get("scale"), payload.get("grade")
    score = g.thumb(int(grade)) if scale == "thumbs" and isinstance(grade, int) else str(grade)
    fake.rate(candidate_id, _member(payload), payload.get("comment"), score)


def set_tags(fake: FakeState, candidate_id: str, payload: Raw) -> Raw:
    tags = payload.get("tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise WorkableError(422, "tags must be a list of strings")
    fake.candidate(candidate_id)
    return {"tags": fake.set_tags(candidate_id, tags)["tags"]}


def update(fake: FakeState, candidate_id: str, payload: Raw) -> Raw:
    changes = {k: v for k, v in (payload.get("candidate") or {}).items()
               if k in ("firstname", "lastname", "headline", "email", "phone", "address", "summary")}  # fmt: skip
    cand = fake.edit_candidate(candidate_id, **changes)
    cand["name"] = f"{cand['firstname']} {cand['lastname']}"
    return cand
