"""Seeded Workable tenant data built from the recorded payloads in ``payloads/`` (verbatim copies).

Every record starts as a deep copy of a recorded one and only its values vary, so the fake serves exactly the
shapes Workable sends. A record is kept as the union of its list and detail shapes; :func:`project` cuts the
shape an endpoint answers with out of it. Offers and candidate answers have no recorded example with data:
they follow Workable's documentation. Ids are fixed-width hex that grow with creation time, so ``since_id``
keyset paging (ascending id) matches Workable's. Generated timestamps lie in 2024, long before any test run.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

Raw = dict[str, Any]

PAYLOADS = Path(__file__).parent / "payloads"
BASE = datetime(2024, 1, 1, tzinfo=UTC)
SUBDOMAIN = "acme"

FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Edsger", "Radia")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie", "Allen")
TITLES = ("Backend Engineer", "Product Designer", "Account Executive", "Data Analyst", "Recruiter", "SRE")
SOURCES = (("indeed.com", "indeed.com", "Job boards"), ("workable.com", "Careers page", "Company marketing"),
           ("linkedin.com", "linkedin.com", "Job boards"), (None, "Unknown", "Other"))  # fmt: skip
TAGS = ("priority", "senior", "remote-ok", "referral", "french")


@cache
def _payload(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text())


def template(name: str) -> Any:
    return copy.deepcopy(_payload(name))


def iso(ts: datetime, millis: bool = False) -> str:
    """Workable's two timestamp styles: seconds (records) and milliseconds (activities, events)."""
    if millis:
        return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def project(full: Any, shape: Any) -> Any:
    """The keys of ``shape`` (recursively for objects) filled from ``full``: one endpoint's view of a record."""
    if not isinstance(shape, dict) or not isinstance(full, dict):
        return copy.deepcopy(full)
    return {k: project(full.get(k), v) if isinstance(v, dict) else copy.deepcopy(full.get(k)) for k, v in shape.items()}


def union(*shapes: Raw) -> Raw:
    out: Raw = {}
    for shape in shapes:
        for key, value in shape.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = union(out[key], value)
            else:
                out[key] = copy.deepcopy(value)
    return out


# Shapes of each endpoint's records, straight from the recordings.
def job_list_shape() -> Raw:
    return _payload("jobs.json")["jobs"][0]  # type: ignore[no-any-return]


def job_detail_shape() -> Raw:
    return _payload("job_single.json")  # type: ignore[no-any-return]


def candidate_list_shape() -> Raw:
    return _payload("candidates_last_page.json")["candidates"][0]  # type: ignore[no-any-return]


def candidate_detail_shape() -> Raw:
    return _payload("candidate_single.json")["candidate"]  # type: ignore[no-any-return]


class Ids:
    """Seeded picks and growing hex ids per kind (fixed width, so string order is creation order)."""

    WIDTH = {"candidates": 8, "activities": 8, "events": 7, "members": 6, "jobs": 6}

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.counters = {"candidates": 0x27270000, "activities": 0x90740000, "events": 0x10E0000, "members": 0x1F3900,
                         "jobs": 0x5B5C00, "questions": 0xB99000, "choices": 0x60CE00}  # fmt: skip

    def next(self, kind: str) -> str:
        self.counters[kind] += self.rng.randint(1, 7)
        return f"{self.counters[kind]:0{self.WIDTH.get(kind, 6)}x}"

    def shortcode(self) -> str:
        return f"{self.rng.getrandbits(40):010X}"

    def when(self, start: datetime, days: float) -> datetime:
        return start + timedelta(seconds=int(self.rng.random() * days * 86400))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def make_member(ids: Ids, n: int) -> Raw:
    member: Raw = template("members.json")["members"][1 if n % 3 else 0]
    first, last = FIRST[n % len(FIRST)], LAST[(n * 2) % len(LAST)]
    member.update(id=ids.next("members"), name=f"{first} {last}", email=f"{first}.{last}{n}@acme.example".lower())
    return member


def make_job(ids: Ids, n: int) -> Raw:
    full = union(template("jobs.json")["jobs"][0], template("job_single.json"))
    shortcode, number = ids.shortcode(), 6000000 + n
    created = ids.when(BASE - timedelta(days=200), 60)
    title = TITLES[n % len(TITLES)]
    full.update(
        id=ids.next("jobs"), title=title, full_title=f"{title} - ACME/{n}", shortcode=shortcode, code=f"ACME/{n}",
        state=("published", "published", "closed", "draft", "archived")[n % 5] if n else "published",
        sample=False, url=f"https://{SUBDOMAIN}.workable.com/jobs/{number}",
        application_url=f"https://{SUBDOMAIN}.workable.com/jobs/{number}/candidates/new",
        shortlink=f"https://apply.workable.com/j/{shortcode}", created_at=iso(created),
        updated_at=iso(created + timedelta(days=3)), employment_type=("Full-time", "Part-time", "Contract")[n % 3],
    )  # fmt: skip
    full["_number"] = number
    return full


def make_stages(n: int) -> list[Raw]:
    """The account pipeline; every third job adds a custom stage of its own."""
    stages: list[Raw] = template("job_stages.json")["stages"]
    if n % 3 == 2:
        custom = copy.deepcopy(stages[4])
        custom.update(id=9000000 + n, identifier=f"c{n:05x}", slug="technical-interview", name="Technical Interview",
                      kind="interview")  # fmt: skip
        stages.insert(5, custom)
        for position, stage in enumerate(stages, 1):
            stage["position"] = position
    return stages


def make_questions(ids: Ids, n: int) -> list[Raw]:
    """The recorded question set (every kind) on even jobs; odd jobs ask nothing."""
    if n % 2:
        return []
    questions: list[Raw] = template("job_questions.json")["questions"]
    for q in questions:
        q["id"] = ids.next("questions")
        for choice in q.get("choices") or []:
            choice["id"] = ids.next("choices")
    return questions


def make_job_members(members: list[Raw], n: int) -> list[Raw]:
    shape = _payload("job_members.json")["members"][0]
    chosen = members[n % len(members) :][:2] or members[:1]
    out = []
    for i, member in enumerate(chosen):
        row = project(member, shape)
        row["collaboration_role"] = "admin" if i == 0 else ("hiring_manager", "recruiter")[n % 2]
        out.append(row)
    return out


def make_candidate(ids: Ids, n: int, job: Raw, stage: Raw) -> Raw:
    full = union(template("candidate_single.json")["candidate"], template("candidates_last_page.json")["candidates"][0])
    first, last = FIRST[(n * 5) % len(FIRST)], LAST[(n * 7) % len(LAST)]
    created = ids.when(BASE, 200)
    domain, common, category = SOURCES[n % len(SOURCES)]
    full.update(
        id=ids.next("candidates"), name=f"{first} {last}", firstname=first, lastname=last,
        headline=TITLES[(n + 2) % len(TITLES)], account={"subdomain": SUBDOMAIN, "name": "ACME"},
        job={"shortcode": job["shortcode"], "title": job["title"]}, stage=stage["name"], stage_kind=stage["kind"],
        sourced=domain is None, domain=domain, outlet=None if domain else "SPI", common_source=common,
        common_source_category=category, email=f"{first}.{last}.{n}@mail.example".lower(),
        phone=f"+1555{n:07d}" if n % 4 else None, address=f"{n} Main Street, Springfield" if n % 3 else None,
        profile_url=f"https://{SUBDOMAIN}.workable.com/backend/jobs/{job['_number']}/candidates/{700000 + n}",
        outbound_mailbox=f"c{n}@outbound.workablemail.com", created_at=iso(created),
        updated_at=iso(created + timedelta(days=2)), tags=sorted(ids.rng.sample(TAGS, n % 3)),
        hired_at=iso(created + timedelta(days=30)) if stage["kind"] == "hired" else None,
        moved_to_offer_at=iso(created + timedelta(days=20)) if stage["kind"] in ("offer", "hired") else None,
    )  # fmt: skip
    resume = full["resume_metadata"]
    if n % 4 == 3:
        full["resume_metadata"] = None
    else:
        resume.update(filename=f"cv_{first}_{last}_{n}.pdf".lower(), filetype="pdf", created_at=full["created_at"],
                      updated_at=full["created_at"])  # fmt: skip
    return full


def answers_for(questions: list[Raw]) -> list[Raw]:
    """Answers in the documented detail shape: ``{"question": {"body", "key"}, "answer": {<kind>: value}}``."""
    out = []
    for q in questions:
        kind = q.get("type")
        answer: Raw
        if kind == "boolean":
            answer = {"checked": True}
        elif kind == "numeric":
            answer = {"value": 5}
        elif kind == "date":
            answer = {"date": "2024-09-01"}
        elif kind in ("dropdown", "multiple_choice"):
            answer = {"choices": [{"body": (q.get("choices") or [{}])[0].get("body")}]}
        else:
            answer = {"body": "Because I enjoy the work."}
        out.append({"question": {"body": q["body"], "key": q["id"]}, "answer": answer})
    return out


def activity(ids: Ids, action: str, when: datetime, stage: Raw | None, member: Raw | None, body: str | None,
             rating: str | None = None) -> Raw:  # fmt: skip
    """A ``/candidates/{id}/activities`` entry in the recorded shape (ratings carry ``rating``)."""
    row: Raw = template("candidate_activities.json")["activities"][1]
    ref = {k: stage[k] for k in ("id", "identifier", "name", "slug")} if stage else None
    row.update(id=ids.next("activities"), action=action, stage_name=stage["name"] if stage else None,
               action_stage=ref, target_stage=None, created_at=iso(when, True), updated_at=iso(when, True),
               body=body)  # fmt: skip
    if member is None:
        row.pop("member")
    else:
        row["member"] = {"id": member["id"], "name": member["name"], "type": "Member"}
    if rating is not None:
        row["rating"] = {"score": rating}
    return row


def make_event(ids: Ids, candidate: Raw, members: list[Raw], when: datetime, n: int) -> Raw:
    event: Raw = template("event_single.json")
    member = members[n % len(members)]
    kind = ("CallEvent", "InterviewEvent")[n % 2]
    event.update(
        id=ids.next("events"), title=f"{'Call' if n % 2 == 0 else 'Interview'} with {candidate['name']}", type=kind,
        starts_at=iso(when, True), ends_at=iso(when + timedelta(minutes=30), True), cancelled=n % 7 == 6,
        job=dict(candidate["job"]), candidate={"id": candidate["id"], "name": candidate["name"]},
        members=[{"id": member["id"], "name": member["name"], "type": "Member", "status": "accepted"}],
    )  # fmt: skip
    return event


def make_offer(candidate: Raw, when: datetime, state: str) -> Raw:
    """Documented shape (no recording of a real offer exists): latest offer with its document variables."""
    return {
        "candidate": {"id": candidate["id"], "location": None, "name": candidate["name"]},
        "created_at": iso(when, True),
        "document_variables": [
            {"document_variable": {"name": "Start Date", "slug": "start_date"}, "value": {"body": "2025-01-06"}},
            {
                "document_variable": {"name": "Salary", "slug": "salary"},
                "value": {
                    "data": {
                        "amount": 90000,
                        "frequency": "year",
                        "cached_value": "$90,000.00 per year",
                        "currency_iso": "USD",
                    }
                },
            },
        ],
        "documents": [{"name": "offer.pdf", "preview_url": "https://example.invalid/offer.pdf", "kind": "offer"}],
        "state": state,
    }


def no_offer(candidate: Raw) -> Raw:
    stub: Raw = template("candidate_offer_none.json")
    stub["candidate"].update(id=candidate["id"], name=candidate["name"])
    return stub


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def thumb(n: int) -> str:
    """A rating on Workable's thumbs scale, as activities report it."""
    return ("negative", "positive", "definite")[n % 3]
