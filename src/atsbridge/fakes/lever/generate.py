"""Seeded Lever tenant data, built from the recorded payloads in ``payloads/`` (copies of real responses).

Every record starts as a deep copy of a recorded record and only its values vary (ids, names, timestamps), so
the fake serves exactly the shapes Lever sends. Offers, resumes and files have no recorded payload: they are
built from Lever's documented fields. Generated timestamps lie in 2024-2025, well before any test run, so a
delta sync's look-back window never re-lists untouched records.
"""

from __future__ import annotations

import copy
import json
import random
import uuid
from functools import cache
from pathlib import Path
from typing import Any

Raw = dict[str, Any]

PAYLOADS = Path(__file__).parent / "payloads"
BASE_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
DAY_MS = 86_400_000

FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Edsger", "Radia", "Tim")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie", "Allen", "Perlman")
TITLES = ("Backend Engineer", "Product Designer", "Account Executive", "Data Analyst", "Recruiter", "SRE")
TEAMS = (("Engineering", "Research & Development"), ("Design", "Product"), ("Sales", "Sales"), ("People", "People"))
LOCATIONS = ("San Francisco, CA", "New York, NY", "Berlin", "Remote")
COMMITMENTS = ("Full-time", "Part-time", "Contract", "Intern")
SOURCES = ("LinkedIn", "Referral", "Job site", "GitHub", "Added manually")
EXTRA_TAGS = ("Top Talent", "Senior", "Talent Pool", "French")
ROLES = ("super admin", "admin", "team member", "limited team member", "interviewer")


@cache
def _payload(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text())["data"]


def template(name: str) -> Any:
    """A fresh deep copy of a recorded payload's ``data``."""
    return copy.deepcopy(_payload(name))


class Ids:
    """Seeded UUIDs and picks: the same seed gives the same tenant."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def ms(self, start: int, days: float) -> int:
        return start + int(self.rng.random() * days * DAY_MS)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def make_user(ids: Ids, n: int) -> Raw:
    user: Raw = template("users.json")[4]  # a plain interviewer record
    first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
    username = f"{first}.{last}{n}".lower()
    user.update(
        id=ids.uuid(),
        name=f"{first} {last}",
        username=username,
        email=f"{username}@example.com",
        accessRole=ROLES[n % len(ROLES)],
        photo=None,
        createdAt=ids.ms(BASE_MS - 400 * DAY_MS, 300),
        jobTitle=None if n % 3 else "Recruiter",
    )
    return user


def make_posting(ids: Ids, n: int, users: list[Raw]) -> Raw:
    posting: Raw = template("posting_single.json")
    team, department = TEAMS[n % len(TEAMS)]
    title = f"{TITLES[n % len(TITLES)]} {n + 1}"
    owner, manager = users[n % len(users)]["id"], users[(n + 1) % len(users)]["id"]
    created = ids.ms(BASE_MS, 60)
    pid = ids.uuid()
    posting.update(
        id=pid,
        text=title,
        state=("published", "internal", "published", "closed", "draft")[n % 5],
        user=owner,
        owner=owner,
        hiringManager=manager if n % 4 else None,
        followers=[owner] + ([users[(n + 2) % len(users)]["id"]] if n % 2 else []),
        reqCode=f"REQ-{100 + n}" if n % 2 else None,
        createdAt=created,
        updatedAt=created + DAY_MS,
        workplaceType=("onsite", "remote", "hybrid", "unspecified")[n % 4],
    )
    posting["categories"].update(
        team=team, department=department, location=LOCATIONS[n % len(LOCATIONS)],
        commitment=COMMITMENTS[n % len(COMMITMENTS)], allLocations=[LOCATIONS[n % len(LOCATIONS)]],
    )  # fmt: skip
    posting["content"].update(description=f"About {title}.\n", descriptionHtml=f"<div>About {title}.</div>")
    posting["urls"] = {k: v.replace("75ff237f-c221-4c26-8b23-faf395f5ea1c", pid) for k, v in posting["urls"].items()}
    if n % 3 == 0:  # a salary range appears only when set (as in the recorded postings list)
        posting["salaryRange"] = {"min": 60000 + n * 1000, "max": 90000 + n * 1000, "currency": "USD",
                                  "interval": "per-year-salary"}  # fmt: skip
    return posting


def make_apply_form(ids: Ids, posting: Raw, n: int) -> Raw:
    """The recorded apply form with this posting's id and title; every other posting gets a custom form."""
    form: Raw = template("posting_apply_questions.json")
    form.update(id=posting["id"], text=posting["text"])
    if n % 2 == 0:
        form["customQuestions"] = [
            {
                "id": ids.uuid(),
                "text": "Application questions",
                "fields": [
                    {"id": ids.uuid(), "type": "multiple-choice", "text": "Are you authorised to work here?",
                     "required": True, "options": [{"text": "Yes"}, {"text": "No"}], "value": None},
                    {"id": ids.uuid(), "type": "multiple-select", "text": "Languages", "required": False,
                     "options": [{"text": "English"}, {"text": "German"}, {"text": "French"}], "value": None},
                    {"id": ids.uuid(), "type": "textarea", "text": "Why us?", "required": False, "value": None},
                ],
            }
        ]  # fmt: skip
    return form


def answered(form: Raw, ids: Ids) -> list[Raw]:
    """An application's ``customQuestions``: the posting's forms with the candidate's answers."""
    forms = copy.deepcopy(form.get("customQuestions") or [])
    for item in forms:
        for field in item["fields"]:
            if field["type"] == "multiple-choice":
                field["value"] = ids.rng.choice(field["options"])["text"]
            elif field["type"] == "multiple-select":
                field["value"] = [o["text"] for o in field["options"] if ids.chance(0.5)]
            else:
                field["value"] = "Because the mission fits."
    return forms


def make_application(ids: Ids, opp: Raw, posting: Raw, form: Raw | None) -> Raw:
    app: Raw = template("application_single.json")
    app.update(
        id=ids.uuid(),
        type=("posting", "user", "referral")[ids.rng.randrange(3)],
        candidateId=opp["id"],
        opportunityId=opp["id"],
        posting=posting["id"],
        postingHiringManager=posting["hiringManager"],
        postingOwner=posting["owner"],
        user=opp["owner"],
        company=ids.rng.choice((None, "Initech", "Globex")),
        customQuestions=answered(form, ids) if form else [],
        createdAt=opp["createdAt"],
        archived=copy.deepcopy(opp["archived"]),
    )
    return app


def make_opportunity(ids: Ids, n: int, users: list[Raw], stages: list[Raw], reasons: list[Raw]) -> Raw:
    opp: Raw = template("opportunity_single.json")
    first, last = FIRST[(n * 7) % len(FIRST)], LAST[(n * 5) % len(LAST)]
    created = ids.ms(BASE_MS + 60 * DAY_MS, 600)
    stage_at = ids.rng.randrange(len(stages))
    owner = ids.rng.choice(users)["id"]
    changes = [
        {"toStageId": s["id"], "toStageIndex": i, "updatedAt": created + i * DAY_MS, "userId": owner}
        for i, s in enumerate(stages[: stage_at + 1])
    ]
    archived = None
    if ids.chance(0.35):
        kinds = [r for r in reasons if r["status"] == "active"]
        reason = ids.rng.choice(kinds)
        archived = {"reason": reason["id"], "archivedAt": changes[-1]["updatedAt"] + DAY_MS}
    oid = ids.uuid()
    opp.update(
        id=oid,
        name=f"{first} {last}",
        contact=ids.uuid(),
        headline=ids.rng.choice(("Engineer at Initech", "Designer", "", "Sales lead at Globex")),
        stage=stages[stage_at]["id"],
        location=ids.rng.choice(("", "", "Berlin, Germany", "Austin, TX")),
        phones=[{"type": "mobile", "value": f"+1 555 01{n:04d}"}] if ids.chance(0.7) else [],
        emails=[f"{first}.{last}.{n}@example.org".lower()],
        links=[f"https://www.linkedin.com/in/{first}-{last}-{n}".lower()] if ids.chance(0.4) else [],
        archived=archived,
        tags=[],
        sources=[ids.rng.choice(SOURCES)],
        stageChanges=changes,
        origin=ids.rng.choice(("applied", "sourced", "referred")),
        sourcedBy=owner,
        owner=owner,
        followers=[owner],
        applications=[],
        createdAt=created,
        updatedAt=(archived or {}).get("archivedAt", changes[-1]["updatedAt"]) + 1000,
        lastInteractionAt=changes[-1]["updatedAt"],
        lastAdvancedAt=changes[-1]["updatedAt"],
    )
    opp["urls"]["show"] = f"https://hire.lever.co/candidates/{oid}"
    if ids.chance(0.2):
        opp["tags"].append(ids.rng.choice(EXTRA_TAGS))
    return opp


def posting_tags(posting: Raw) -> list[str]:
    """Lever tags an opportunity with its posting's title, team, department, location and commitment."""
    cats = posting["categories"]
    values = [posting["text"], cats["department"], cats["team"], cats["location"], cats["commitment"]]
    return [v for v in values if v]


def make_interview(ids: Ids, opp: Raw, posting_id: str, users: list[Raw], when: int) -> Raw:
    interview: Raw = template("interview_single.json")
    people = ids.rng.sample(users, 2)
    interview.update(
        id=ids.uuid(),
        panel=ids.uuid(),
        subject=f"Interview with {opp['name']}",
        note=None,
        interviewers=[
            {"id": u["id"], "name": u["name"], "email": u["email"], "feedbackTemplate": "no-feedback"} for u in people
        ],
        createdAt=when - 3 * DAY_MS,
        date=when,
        duration=ids.rng.choice((30, 45, 60)),
        location=ids.rng.choice((None, "Room 4", "https://meet.example.com/abc-defg")),
        user=opp["owner"],
        stage=opp["stage"],
        canceledAt=when - DAY_MS if ids.chance(0.1) else None,
        postings=[posting_id],
        opportunityId=opp["id"],
    )
    return interview


def _fill(field: Raw, ids: Ids) -> None:
    """A plausible ``value`` per feedback field type (formats: see the connector's mappers)."""
    kind = field["type"]
    options = [o["text"] for o in field.get("options") or []]
    if kind in ("dropdown", "multiple-choice", "score-system") and options:
        field["value"] = ids.rng.choice(options)
    elif kind == "multiple-select":
        field["value"] = [o for o in options if ids.chance(0.5)]
    elif kind == "yes-no":
        field["value"] = ids.rng.choice(("yes", "no"))
    elif kind == "score":
        field["value"] = ids.rng.randint(1, 4)
    elif kind == "scorecard":
        field["value"] = [{"score": ids.rng.randint(1, 4), "comment": ""} for _ in field.get("scores") or []]
    elif kind == "date":
        field["value"] = BASE_MS + 500 * DAY_MS
    else:
        field["value"] = "Solid answers; clear communicator."


def make_feedback(ids: Ids, interview: Raw) -> Raw:
    form: Raw = template("feedback_single.json")
    base = ids.rng.choice(template("feedback_templates.json"))
    fields = copy.deepcopy(base["fields"])
    for field in fields:
        _fill(field, ids)
    done = interview["date"] + 2 * 3_600_000
    form.update(
        id=ids.uuid(), text=base["text"], instructions=base.get("instructions") or "", fields=fields,
        baseTemplateId=base["id"], interview=interview["id"], panel=interview["panel"],
        user=interview["interviewers"][0]["id"], createdAt=done, completedAt=done, updatedAt=done,
        deletedAt=done + DAY_MS if ids.chance(0.05) else None,
    )  # fmt: skip
    return form


def make_note(ids: Ids, opp: Raw, user_id: str, when: int, value: str, secret: bool = False) -> Raw:
    note: Raw = template("note_single.json")
    note.update(id=ids.uuid(), user=user_id, secret=secret, completedAt=when, createdAt=when, deletedAt=None)
    note["fields"][0].update(createdAt=when, stage=opp["stage"], user=user_id, value=value)
    return note


def make_offer(ids: Ids, opp: Raw, posting_id: str, base_url: str = "https://api.lever.co/v1") -> Raw:
    """Documented offer fields (no recorded payload exists)."""
    created = opp["lastAdvancedAt"]
    status = ids.rng.choice(("draft", "approved", "sent", "signed"))
    oid = ids.uuid()
    sent = None
    if status in ("sent", "signed"):
        sent = {"fileName": "offer.pdf", "uploadedAt": created + DAY_MS,
                "downloadUrl": f"{base_url}/opportunities/{opp['id']}/offers/{oid}/download?status=sent"}  # fmt: skip
    return {
        "id": oid,
        "posting": posting_id,
        "createdAt": created,
        "status": status,
        "creator": opp["owner"],
        "fields": [
            {"text": "Salary", "identifier": "salary_amount", "value": 100000 + ids.rng.randrange(50) * 1000},
            {"text": "Currency", "identifier": "salary_currency", "value": "USD"},
            {"text": "Anticipated start date", "identifier": "anticipated_start_date", "value": created + 30 * DAY_MS},
        ],
        "sentDocument": sent,
        "signedDocument": dict(sent, fileName="offer-signed.pdf") if sent and status == "signed" else None,
        "approved": status != "draft",
        "approvedAt": created + 3_600_000 if status != "draft" else None,
        "signatures": None,
    }


def make_resume(ids: Ids, opp: Raw) -> Raw:
    """Documented resume fields: parsed data plus the ``file`` sub-object."""
    rid, when = ids.uuid(), opp["createdAt"]
    url = f"https://api.lever.co/v1/opportunities/{opp['id']}/resumes/{rid}/download"
    name = f"{opp['name'].replace(' ', '_')}_CV.pdf"
    return {
        "id": rid,
        "createdAt": when,
        "file": {"name": name, "ext": ".pdf", "downloadUrl": url, "uploadedAt": when, "status": "processed",
                 "size": 20480},
        "parsedData": {"positions": [], "schools": []},
    }  # fmt: skip


def make_file(ids: Ids, opp: Raw) -> Raw:
    """Documented file fields (flat: no ``file`` sub-object)."""
    fid, when = ids.uuid(), opp["createdAt"] + DAY_MS
    url = f"https://api.lever.co/v1/opportunities/{opp['id']}/files/{fid}/download"
    return {"id": fid, "downloadUrl": url, "ext": ".docx", "name": "portfolio.docx", "uploadedAt": when,
            "status": "processed", "size": 10240}  # fmt: skip
