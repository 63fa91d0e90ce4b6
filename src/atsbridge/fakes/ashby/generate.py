"""Seeded Ashby tenant data built from the recorded payloads in ``payloads/`` (verbatim copies).

Records start as deep copies of recorded ones and only their values vary, so the fake serves Ashby's shapes.
Ashby leaves unset optional keys out (a candidate without a phone has no ``primaryPhoneNumber`` key, an active
application no ``archivedAt``): :func:`render` cuts an endpoint's shape out of a record the same way. Interview
stages, tags, archive reasons, schedules, offers and feedback have no recording: they follow Ashby's OpenAPI
(stage and archive-reason objects as embedded in the recorded applications). Timestamps lie in 2024.
"""

from __future__ import annotations

import base64
import copy
import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

Raw = dict[str, Any]

PAYLOADS = Path(__file__).parent / "payloads"
BASE = datetime(2024, 1, 1, tzinfo=UTC)
FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Edsger", "Radia")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie", "Allen")
TITLES = ("Backend Engineer", "Product Designer", "Account Executive", "Data Analyst", "Recruiter", "SRE")
#: (title, type) of every generated interview plan, in order.
PLAN = (("New Lead", "Lead"), ("Application Review", "PreInterviewScreen"), ("1st Screen", "Active"),
        ("2nd Screen", "Active"), ("Onsite", "Active"), ("Offer", "Offer"), ("Hired", "Hired"),
        ("Archived", "Archived"))  # fmt: skip
REASONS = (("Lacks Skills/Qualifications", "RejectedByOrg"), ("Withdrew", "RejectedByCandidate"),
           ("Position filled", "Other"), ("Old reason", "RejectedByOrg"))  # fmt: skip
TAGS = ("Priority", "Senior", "Referral", "Remote OK", "Old tag")
#: Keys Ashby leaves out when unset, per record kind.
OPTIONAL: dict[str, tuple[str, ...]] = {
    "candidate": ("primaryEmailAddress", "primaryPhoneNumber", "position", "company", "school", "resumeFileHandle",
                  "location"),
    "application": ("archivedAt",),
}  # fmt: skip


@cache
def _payload(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text())


def template(name: str) -> Any:
    return copy.deepcopy(_payload(name))


def results(name: str) -> Any:
    return template(name)["results"]


def shape(name: str) -> Raw:
    """The record shape an endpoint answers with (a recorded ``results`` object, or a list's first item)."""
    found = _payload(name)["results"]
    return found[0] if isinstance(found, list) else found  # type: ignore[no-any-return]


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def render(full: Raw, form: Raw, kind: str | None = None) -> Raw:
    """``form``'s keys (recursively for objects) from ``full``; ``kind``'s optional keys only when set."""
    optional = OPTIONAL.get(kind or "", ())
    out: Raw = {}
    for key in list(form) + [k for k in optional if k not in form]:
        value = full.get(key)
        if key in optional and value is None:
            continue
        sub = form.get(key)
        out[key] = render(value, sub) if isinstance(sub, dict) and isinstance(value, dict) else copy.deepcopy(value)
    return out


class Ids:
    """Seeded UUIDs and picks: the same seed gives the same tenant."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def when(self, start: datetime, days: float) -> datetime:
        return start + timedelta(seconds=int(self.rng.random() * days * 86400))


def file_handle(ids: Ids, owner: str, name: str, kind: str = "ResumeFile") -> Raw:
    fid = ids.uuid()
    token = base64.urlsafe_b64encode(json.dumps({"handle": {"type": kind, "fileId": fid, "ownerId": owner}})
                                     .encode()).decode().rstrip("=")  # fmt: skip
    return {"id": fid, "name": name, "handle": token}


def make_user(ids: Ids, n: int) -> Raw:
    user: Raw = results("users.json")[0]
    first, last = FIRST[n % len(FIRST)], LAST[(n * 2) % len(LAST)]
    user.update(id=ids.uuid(), firstName=first, lastName=last, email=f"{first}.{last}{n}@acme.example".lower(),
                globalRole=("Organization Admin", "Elevated Access", "Limited Access")[n % 3], isEnabled=n != 5,
                updatedAt=iso(ids.when(BASE - timedelta(days=300), 100)))  # fmt: skip
    return user


def make_stage(ids: Ids, plan: str, order: int, title: str, kind: str) -> Raw:
    stage: Raw = copy.deepcopy(shape("applications.json")["currentInterviewStage"])
    stage.update(id=ids.uuid(), title=title, type=kind, interviewPlanId=plan, orderInInterviewPlan=order,
                 interviewStageGroupId=None)  # fmt: skip
    return stage


def make_job(ids: Ids, n: int, users: list[Raw], department: Raw, plan: str) -> Raw:
    job: Raw = results("jobs.json")[0]
    created = ids.when(BASE - timedelta(days=200), 60)
    status = ("Open", "Open", "Closed", "Archived", "Draft")[n % 5] if n else "Open"
    manager = users[n % len(users)]
    job.update(
        id=ids.uuid(), title=TITLES[n % len(TITLES)], status=status, employmentType=("FullTime", "PartTime")[n % 2],
        departmentId=department["id"], defaultInterviewPlanId=plan, interviewPlanIds=[plan], jobPostingIds=[],
        customRequisitionId=f"REQ-{100 + n}", author=copy.deepcopy(manager), createdAt=iso(created),
        updatedAt=iso(created + timedelta(days=2)), openedAt=iso(created + timedelta(days=1)),
        closedAt=iso(created + timedelta(days=90)) if status in ("Closed", "Archived") else None,
        hiringTeam=[{"userId": manager["id"], "firstName": manager["firstName"], "lastName": manager["lastName"],
                     "email": manager["email"], "role": "Hiring Manager"}],
    )  # fmt: skip
    return job


def make_posting(ids: Ids, job: Raw, listed: bool) -> Raw:
    """The union of the ``jobPosting.info`` and ``jobPosting.list`` shapes (the list has a few keys of its own)."""
    posting: Raw = union(results("job_posting_single.json"), shape("job_postings.json"))
    posting.update(id=ids.uuid(), title=job["title"], jobId=job["id"], isListed=listed,
                   externalLink=f"https://jobs.ashbyhq.com/acme/{job['id']}",
                   applyLink=f"https://jobs.ashbyhq.com/acme/{job['id']}/application",
                   updatedAt=job["updatedAt"])  # fmt: skip
    job["jobPostingIds"].append(posting["id"])
    return posting


def make_candidate(ids: Ids, n: int) -> Raw:
    cand: Raw = template("candidates.json")["results"][0]
    first, last = FIRST[(n * 5) % len(FIRST)], LAST[(n * 7) % len(LAST)]
    created = ids.when(BASE, 200)
    cid = ids.uuid()
    email = f"{first}.{last}.{n}@mail.example".lower()
    cand.update(
        id=cid, name=f"{first} {last}", createdAt=iso(created), updatedAt=iso(created + timedelta(days=1)),
        primaryEmailAddress={"value": email, "type": "Personal", "isPrimary": True},
        emailAddresses=[{"value": email, "type": "Personal", "isPrimary": True}],
        primaryPhoneNumber={"value": f"+1555{n:07d}", "type": "Mobile", "isPrimary": True} if n % 3 else None,
        phoneNumbers=[{"value": f"+1555{n:07d}", "type": "Mobile", "isPrimary": True}] if n % 3 else [],
        socialLinks=[{"type": "LinkedIn", "url": f"https://linkedin.com/in/{first}-{last}-{n}".lower()}],
        tags=[], position=TITLES[(n + 1) % len(TITLES)], company="Initech" if n % 2 else None, school=None,
        applicationIds=[], fileHandles=[], resumeFileHandle=None, customFields=[],
        profileUrl=f"https://app.ashbyhq.com/candidate-searches/new/right-side/candidates/{cid}",
        creditedToUser=None, timezone=None, fraudStatus=None, location=None,
    )  # fmt: skip
    return cand


def make_application(ids: Ids, cand: Raw, job: Raw, stage: Raw, source: Raw) -> Raw:
    app: Raw = union(template("application_single.json")["results"], shape("applications.json"))
    created = datetime.fromisoformat(cand["createdAt"].replace("Z", "+00:00")) + timedelta(hours=1)
    kind = stage["type"]
    app.update(
        id=ids.uuid(), createdAt=iso(created), updatedAt=iso(created + timedelta(days=3)), archivedAt=None,
        candidate={"id": cand["id"], "name": cand["name"], "primaryEmailAddress": cand["primaryEmailAddress"],
                   "primaryPhoneNumber": cand["primaryPhoneNumber"]},
        status={"Archived": "Archived", "Hired": "Hired", "Lead": "Lead"}.get(kind, "Active"),
        currentInterviewStage=copy.deepcopy(stage), source=copy.deepcopy(source), archiveReason=None,
        job={"id": job["id"], "title": job["title"], "locationId": job["locationId"],
             "departmentId": job["departmentId"], "brandId": job["brandId"]},
        hiringTeam=[], appliedViaJobPostingId=(job["jobPostingIds"] or [None])[0], customFields=[],
        resumeFileHandle=cand.get("resumeFileHandle"), applicationHistory=[],
    )  # fmt: skip
    cand["applicationIds"].append(app["id"])
    return app


def union(*shapes: Raw) -> Raw:
    out: Raw = {}
    for item in shapes:
        for key, value in item.items():
            out[key] = union(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) \
                else copy.deepcopy(value)  # fmt: skip
    return out


def make_note(ids: Ids, author: Raw, content: str, when: datetime) -> Raw:
    note: Raw = template("write_create_note.response.json")["results"]
    note.update(id=ids.uuid(), createdAt=iso(when), content=content, isPrivate=False,
                author={k: author[k] for k in ("id", "firstName", "lastName", "email")})  # fmt: skip
    return note


def make_schedule(ids: Ids, app: Raw, interview: Raw, users: list[Raw], when: datetime, status: str) -> Raw:
    """Documented ``interviewSchedule.list`` shape (no recording exists)."""
    sid = ids.uuid()
    event = {
        "id": ids.uuid(), "interviewId": interview["id"], "interviewScheduleId": sid,
        "interviewerUserIds": [users[0]["id"]], "createdAt": iso(when - timedelta(days=2)),
        "updatedAt": iso(when - timedelta(days=2)), "startTime": iso(when), "endTime": iso(when + timedelta(hours=1)),
        "feedbackLink": f"https://app.ashbyhq.com/interview-briefings/{sid}/feedback",
        "location": None, "meetingLink": f"https://meet.example/{sid[:8]}",
        "hasSubmittedFeedback": status == "Complete",
    }  # fmt: skip
    return {"id": sid, "status": status, "applicationId": app["id"],
            "interviewStageId": app["currentInterviewStage"]["id"], "interviewEvents": [event]}  # fmt: skip


def make_offer(ids: Ids, app: Raw, author: Raw, when: datetime, accepted: bool) -> Raw:
    """Documented ``offer.list`` shape (no recording exists)."""
    return {
        "id": ids.uuid(), "decidedAt": iso(when + timedelta(days=3)) if accepted else None,
        "applicationId": app["id"], "acceptanceStatus": "Accepted" if accepted else "WaitingOnResponse",
        "offerStatus": "CandidateAccepted" if accepted else "WaitingOnCandidateResponse",
        "latestVersion": {
            "id": ids.uuid(), "startDate": "2025-01-06", "salary": {"currencyCode": "USD", "value": 150000},
            "createdAt": iso(when), "approvalStatus": "Approved", "customFields": [], "fileHandles": [],
            "author": {k: author[k] for k in ("id", "firstName", "lastName", "email")},
        },
    }  # fmt: skip


def make_feedback(ids: Ids, app: Raw, author: Raw, when: datetime, n: int) -> Raw:
    """Documented ``applicationFeedback.list`` shape (no recording exists)."""
    fields = [
        {"isRequired": True, "field": {"id": ids.uuid(), "path": "overall_recommendation", "title": "Overall",
                                       "type": "Score"}},
        {"isRequired": False, "field": {"id": ids.uuid(), "path": "strengths", "title": "Strengths",
                                        "type": "RichText"}},
        {"isRequired": False, "field": {"id": ids.uuid(), "path": "level", "title": "Level", "type": "ValueSelect",
                                        "selectableValues": [{"label": "Mid", "value": "mid"},
                                                             {"label": "Senior", "value": "senior"}]}},
    ]  # fmt: skip
    return {
        "id": ids.uuid(), "applicationId": app["id"], "submittedAt": iso(when),
        "submittedByUser": {k: author[k] for k in ("id", "firstName", "lastName", "email")},
        "formDefinition": {"sections": [{"fields": fields}]},
        "submittedValues": {"overall_recommendation": {"score": 1 + n % 4}, "strengths": "Clear thinker",
                            "level": ("mid", "senior")[n % 2]},
    }  # fmt: skip
