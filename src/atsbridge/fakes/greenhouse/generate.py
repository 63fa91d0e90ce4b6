"""Seeded tenant data for the fake Greenhouse: the real v1 payload records are the templates, and more
records are made by varying ids, names and dates (so every record has a documented shape).
"""

from __future__ import annotations

import copy
import random
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from atsbridge.core.timeutil import format_ts
from atsbridge.fakes.greenhouse.state import FakeState

Json = dict[str, Any]
PAYLOADS = Path(__file__).parent / "payloads"
#: Every generated timestamp lies before this instant (never "now", so deltas see only mutations).
EPOCH = datetime(2025, 6, 1, tzinfo=UTC)

FIRST = ("Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger", "Radia", "Tim")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra")
JOBS = ("Backend Engineer", "Product Designer", "Data Scientist", "Account Executive", "Recruiter", "SRE", "Analyst")
DEPARTMENTS = ("Engineering", "Design", "Sales", "People", "Finance")
OFFICES = (("New York", "New York, United States"), ("Berlin", "Berlin, Germany"), ("Remote", "Remote"))
TAGS = ("Ruby", "Rails", "Junior", "Python", "Senior", "Referral", "Remote", "Go")
SOURCES = (
    (2, "Jobs page on your website"),
    (12, "Meetups"),
    (16, "LinkedIn (Prospecting)"),
    (100674, "Campus Job Fair"),
)
STAGES = ("Application Review", "Recruiter Phone Screen", "Technical Interview", "Face to Face", "Offer")
DEFAULT_REASONS = (
    (901, "Candidate withdrew", 3, "They rejected us"),
    (902, "Took another offer", 3, "They rejected us"),
)
RECOMMENDATIONS = ("definitely_not", "no", "yes", "strong_yes", "no_decision")
RATINGS = ("definitely_not", "no", "mixed", "yes", "strong_yes")


@cache
def _templates(name: str) -> Any:
    return orjson.loads((PAYLOADS / f"{name}.json").read_bytes())


def template(name: str, index: int = 0) -> Json:
    """A fresh deep copy of one real payload record."""
    data = _templates(name)
    return copy.deepcopy(data[index] if isinstance(data, list) else data)


class Generator:
    def __init__(self, state: FakeState, seed: int):
        self.state = state
        self.rnd = random.Random(seed)
        self.users: list[Json] = []
        self.stages: dict[int, list[Json]] = {}

    def when(self, days_ago_max: float = 700.0) -> datetime:
        return EPOCH - timedelta(days=self.rnd.uniform(1.0, days_ago_max), seconds=self.rnd.randrange(86400))

    def user_ref(self, user: Json | None = None) -> Json:
        u = user or self.rnd.choice(self.users)
        return {k: u[k] for k in ("id", "first_name", "last_name", "name", "employee_id")}

    def add(self, kind: str, data: Json, created: datetime | None = None, age_days: float = 20.0) -> Json:
        created = created or self.when()
        updated = min(created + timedelta(days=self.rnd.uniform(0, age_days)), EPOCH)
        return self.state.insert(kind, data, created, updated)

    # -------------------------------------------------------------------------------- reference data
    def users_(self, n: int) -> None:
        for i in range(n):
            u = template("users", i % 2)
            first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
            email = f"{first}.{last}{i}@acme.example".lower()
            u.update(id=4000 + i, first_name=first, last_name=last, name=f"{first} {last}", employee_id=str(700 + i))
            u.update(primary_email_address=email, emails=[email], site_admin=i < 2, disabled=i % 7 == 6)
            u["linked_candidate_ids"] = []
            self.users.append(self.add("users", u))

    def tags_and_reasons(self) -> None:
        for i, name in enumerate(TAGS):
            self.state.insert("candidate_tags", {"id": 365 + i, "name": name}, self.when())
        for reason in _templates("rejection_reasons"):
            self.state.insert("rejection_reasons", copy.deepcopy(reason), self.when())
        for rid, name, tid, tname in DEFAULT_REASONS:
            self.state.insert("rejection_reasons", {"id": rid, "name": name, "type": {"id": tid, "name": tname}})
            self.state.default_reasons.add(rid)
        for source in _templates("sources"):
            self.state.insert("sources", copy.deepcopy(source))
        for sid, name in SOURCES:  # the sources the generated applications credit
            self.state.insert("sources", {**template("sources"), "id": sid, "name": name})

    def job(self, i: int) -> Json:
        j = template("jobs")
        name = f"{JOBS[i % len(JOBS)]} {i + 1}"
        status = self.rnd.choices(("open", "closed", "draft"), (7, 2, 1))[0]
        created = self.when()
        j.update(id=100000 + i, name=name, requisition_id=f"REQ-{1000 + i}", status=status, copied_from_id=None)
        j.update(confidential=self.rnd.random() < 0.1, opened_at=format_ts(created + timedelta(days=1)))
        j["closed_at"] = format_ts(created + timedelta(days=40)) if status == "closed" else None
        j["departments"][0].update(id=25000 + i % 5, name=DEPARTMENTS[i % len(DEPARTMENTS)])
        office, location = OFFICES[i % len(OFFICES)]
        j["offices"][0].update(id=47000 + i % 3, name=office, location={"name": location})
        employment = self.rnd.choice(("Full-Time", "Part-Time", "Contract"))
        j["custom_fields"]["employment_type"] = employment
        j["keyed_custom_fields"]["employment_type"]["value"] = employment
        team = j["hiring_team"]
        team["hiring_managers"] = [self.user_ref()]
        team["recruiters"] = [{**self.user_ref(), "responsible": True}]
        team["coordinators"] = [{**self.user_ref(), "responsible": True}]
        team["sourcers"] = [self.user_ref()] if self.rnd.random() < 0.5 else []
        j["openings"] = [{**j["openings"][1], "id": 123000 + i, "opening_id": f"{i}-1"}]
        return self.add("jobs", j, created)

    def posts(self, job: Json, n: int) -> None:
        for k in range(n):
            p = template("job_posts")
            external = k == 0
            p.update(id=200000 + job["id"] % 1000 * 10 + k, title=job["name"], job_id=job["id"])
            p.update(internal=not external, external=external, live=job["status"] == "open", active=True)
            p["location"]["name"] = job["offices"][0]["location"]["name"]
            p["content"] = f"<p>Join us as {job['name']}.</p>"
            self.add("job_posts", p)

    def stages_(self, job: Json) -> None:
        base = 300000 + job["id"] % 1000 * 10
        for index, name in enumerate(STAGES):
            source = 2 if index == 0 else 1 if name == "Offer" else 0
            s = template("job_stages_for_job", source)
            s.update(id=base + index, name=name, job_id=job["id"], priority=index)
            for n, planned in enumerate(s["interviews"][:1]):
                planned.update(id=400000 + (base + index) % 100000 * 10 + n, name=f"{name} Interview")
                if "default_interviewer_users" in planned:
                    planned["default_interviewer_users"] = [self.user_ref()]
            s["interviews"] = s["interviews"][:1]
            self.stages.setdefault(job["id"], []).append(self.add("job_interview_stages", s))

    # -------------------------------------------------------------------------------- people
    def candidate(self, i: int) -> Json:
        c = template("candidates")
        first, last = self.rnd.choice(FIRST), self.rnd.choice(LAST)
        c.update(id=5000000 + i, first_name=first, last_name=last, company=f"{last} & Co", title="Engineer")
        c.update(is_private=self.rnd.random() < 0.05, recruiter=self.user_ref(), coordinator=None)
        c["phone_numbers"] = [{"value": f"+1 555 01{i:04d}", "type": "mobile"}]
        c["addresses"] = [{"value": f"{i + 1} Main Street\nSpringfield", "type": "home"}]
        c["email_addresses"] = [{"value": f"{first}.{last}.{i}@mail.example".lower(), "type": "personal"}]
        c["website_addresses"] = [{"value": f"{first}{i}.example".lower(), "type": "personal"}][: self.rnd.randrange(2)]
        social = [{"value": f"https://linkedin.com/in/{first}{last}{i}".lower()}]
        c["social_media_addresses"] = social if self.rnd.random() < 0.3 else []
        c["tags"] = self.rnd.sample(TAGS, self.rnd.randrange(3))
        c["linked_user_ids"] = []
        for key in ("applications", "application_ids", "attachments", "created_at", "updated_at", "last_activity"):
            c.pop(key, None)  # rendered from the state on each request
        return self.add("candidates", c)

    def application(self, app_id: int, cand: Json, job: Json) -> Json:
        a = template("applications")
        stages = self.stages[job["id"]]
        roll = self.rnd.random()
        status = "active" if roll < 0.62 else "rejected" if roll < 0.8 else "hired" if roll < 0.92 else "prospect"
        if roll >= 0.97:
            status = "converted"
        level = self.rnd.randrange(4) if status != "hired" else 4
        source_id, source_name = self.rnd.choice(SOURCES)
        a.update(id=app_id, candidate_id=cand["id"], prospect=status in ("prospect", "converted"))
        a.update(source={"id": source_id, "public_name": source_name}, credited_to=self.user_ref())
        a.update(recruiter=self.user_ref(), jobs=[{"id": job["id"], "name": job["name"]}])
        a.update(job_post_id=200000 + job["id"] % 1000 * 10, status="active" if status == "prospect" else status)
        a["current_stage"] = {"id": stages[level]["id"], "name": stages[level]["name"]}
        if a["prospect"] or status == "hired":
            a["current_stage"] = None
        a.pop("attachments", None)
        created = self.when()
        if status == "rejected":
            reason = self.state.get("rejection_reasons", self.rnd.choice(self.state.ids("rejection_reasons")))
            a.update(rejected_at=format_ts(created + timedelta(days=3)), rejection_reason=dict(reason))
            a["rejection_details"] = {"custom_fields": {}, "keyed_custom_fields": {}}
        self.add("applications", a, created)
        self.pipeline(a, job, level)
        return a

    def pipeline(self, app: Json, job: Json, level: int) -> None:
        """Interviews (with scorecards once complete) and offers, as far as the application got."""
        if app["prospect"] or level < 1:
            return
        step = self.stages[job["id"]][min(level, 3)]
        done = level > 3 or app["status"] != "active"
        self.interview(app, step, "complete" if done else self.rnd.choice(("scheduled", "awaiting_feedback")))
        if app["status"] == "hired" or level == 4 or (app["status"] == "rejected" and self.rnd.random() < 0.2):
            self.offer(app, job)

    def interview(self, app: Json, step: Json, status: str) -> None:
        i = template("scheduled_interviews")
        iid = 7000000 + len(self.state.tables["interviews"])
        start = self.when(300)
        planned = step["interviews"][0]
        people = self.rnd.sample(self.users, 2 if self.rnd.random() < 0.4 else 1)
        i.update(id=iid, application_id=app["id"], external_event_id=f"event{iid}", status=status)
        i.update(start={"date_time": format_ts(start)}, end={"date_time": format_ts(start + timedelta(hours=1))})
        i.update(interview={"id": planned["id"], "name": planned["name"]}, organizer=self.user_ref())
        i["interviewers"] = [
            {"id": u["id"], "employee_id": u["employee_id"], "name": u["name"], "email": u["primary_email_address"],
             "response_status": "accepted", "scorecard_id": None}
            for u in people
        ]  # fmt: skip
        if status == "complete":
            i["interviewers"][0]["scorecard_id"] = self.scorecard(app, planned, people[0], start)
        self.add("interviews", i, start - timedelta(days=5))

    def scorecard(self, app: Json, planned: Json, author: Json, when: datetime) -> int:
        s = template("scorecards")
        sid = 10000000 + len(self.state.tables["scorecards"])
        s.update(id=sid, candidate_id=app["candidate_id"], application_id=app["id"], interview=planned["name"])
        s.update(interview_step={"id": planned["id"], "name": planned["name"]}, interviewed_at=format_ts(when))
        s.update(submitted_by=self.user_ref(author), interviewer=self.user_ref(author), submitted_at=format_ts(when))
        s["overall_recommendation"] = self.rnd.choice(RECOMMENDATIONS)
        for attr in s["attributes"]:
            attr["rating"] = self.rnd.choice(RATINGS)
        s["ratings"] = {r: [a["name"] for a in s["attributes"] if a["rating"] == r] for r in RATINGS}
        self.add("scorecards", s, when + timedelta(hours=2))
        return sid

    def offer(self, app: Json, job: Json) -> None:
        status = {"hired": "accepted", "rejected": "rejected"}.get(app["status"], "unresolved")
        versions = ["deprecated", status] if status == "accepted" and self.rnd.random() < 0.3 else [status]
        created = self.when(200)
        for version, state in enumerate(versions, start=1):
            o = template("offers")
            sent = state != "unresolved" or self.rnd.random() < 0.5
            o.update(id=8000000 + len(self.state.tables["offers"]), version=version, application_id=app["id"])
            o.update(job_id=job["id"], candidate_id=app["candidate_id"], opening=None, status=state)
            o["sent_at"] = (created + timedelta(days=1)).date().isoformat() if sent else None
            o["resolved_at"] = format_ts(created + timedelta(days=3)) if state != "unresolved" else None
            o["starts_at"] = (created + timedelta(days=30)).date().isoformat()
            self.add("offers", o, created)

    def notes_and_files(self, cand: Json, apps: list[Json]) -> None:
        first_app = apps[0]["id"] if apps else None
        if self.rnd.random() < 0.5:
            n = {**template("activity_feed")["notes"][0], "candidate_id": cand["id"], "application_id": first_app}
            n.update(id=9000000 + len(self.state.tables["notes"]), user=self.user_ref())
            n["body"] = self.rnd.choice(("Very mysterious.", "Strong referral.", "Call back in Q3."))
            self.add("notes", n)
        stem = f"{cand['first_name']}_{cand['last_name']}"
        files = [("resume", f"{stem}_Resume.pdf", first_app)]
        if self.rnd.random() < 0.3:
            files.append(("cover_letter", f"{stem}_Cover_Letter.docx", first_app))
        if self.rnd.random() < 0.1:
            files.append(("offer_packet", f"{stem}_Offer_Packet.pdf", None))
        for kind, name, app_id in files:
            aid = 11000000 + len(self.state.tables["attachments"])
            data = {"id": aid, "candidate_id": cand["id"], "application_id": app_id, "filename": name, "type": kind}
            self.add("attachments", data)


def applied_tags(state: FakeState) -> None:
    """v3's ``/applied_candidate_tags`` rows for the tag names the candidates carry (no randomness used)."""
    by_name = {state.get("candidate_tags", i)["name"]: i for i in state.tables["candidate_tags"]}
    for cid in sorted(state.tables["candidates"]):
        row = state.tables["candidates"][cid]
        for name in row.data.get("tags") or []:
            data = {"id": 20000000 + len(state.tables["applied_candidate_tags"]), "candidate_id": cid,
                    "candidate_tag_id": by_name[name]}  # fmt: skip
            state.insert("applied_candidate_tags", data, row.created_at)


def populate(state: FakeState, seed: int, records: int) -> None:
    """About ``records`` applications, with jobs, users and everything hanging off them in proportion."""
    gen = Generator(state, seed)
    gen.users_(max(6, records // 10))
    gen.tags_and_reasons()
    jobs = [gen.job(i) for i in range(max(2, records // 15))]
    for job in jobs:
        gen.posts(job, 2 if gen.rnd.random() < 0.3 else 1)
        gen.stages_(job)
    n_candidates = max(2, round(records * 0.8))
    candidates = [gen.candidate(i) for i in range(n_candidates)]
    owners = candidates + [gen.rnd.choice(candidates) for _ in range(max(records - n_candidates, 0))]
    apps: dict[int, list[Json]] = {}
    for n, cand in enumerate(owners):
        apps.setdefault(cand["id"], []).append(gen.application(6000000 + n, cand, gen.rnd.choice(jobs)))
    for cand in candidates:
        gen.notes_and_files(cand, apps.get(cand["id"], []))
    applied_tags(state)
