"""Deterministic fake Teamtailor data: every resource is a deep copy of a recorded one (``payloads/``) with only
its values varied, so the fake serves exactly the shapes Teamtailor does."""

from __future__ import annotations

import copy
import json
import random
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

Raw = dict[str, Any]
PAYLOADS = Path(__file__).parent / "payloads"
#: Teamtailor writes timestamps with the account's offset: ``2020-03-25T13:45:48.855+01:00``.
TZ = timezone(timedelta(hours=1))
BASE = datetime(2024, 3, 1, 9, 0, tzinfo=TZ)

FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim", "Hedy", "Linus"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Lee"]
TITLES = ["Backend Engineer", "Product Designer", "Account Executive", "Data Analyst", "Recruiter", "SRE"]
TAGS = ["Senior", "Remote", "Referral", "Top talent", "Nordics"]
SITES = ["LinkedIn", "Indeed", "Teamtailor", "Google", None]
#: The docs' questions example (published with an ellipsis, so not loadable as JSON): one Boolean question.
QUESTION: Raw = {
    "attributes": {"alternatives": None, "end-with": None, "multiple": None, "question-type": "Boolean",
                   "start-with": None, "title": "Have you ever worked with sales before?", "unit": None,
                   "single-line": None},
}  # fmt: skip
QUESTIONS: list[tuple[str, str, Raw]] = [
    ("Boolean", "Do you have a work permit?", {}),
    ("Choice", "Preferred office?", {"alternatives": ["Stockholm", "Berlin", "Remote"], "multiple": False}),
    ("Choice", "Which languages do you speak?", {"alternatives": ["Swedish", "English", "German"], "multiple": True}),
    ("Text", "Why do you want to join us?", {"single-line": False}),
    ("Range", "Years of experience?", {"start-with": 0, "end-with": 20, "unit": "years"}),
]
STAGES = [("Inbox", "Inbox"), ("Reviewing", "In process"), ("Interview", "In process"), ("Offer", "In process"),
          ("Hired", "Hired")]  # fmt: skip


@cache
def _load(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text())


def template(name: str, index: int = 0) -> Raw:
    """A deep copy of one recorded resource's ``attributes`` (and ``links`` when it has extra ones)."""
    doc = _load(name)
    data = doc["data"] if "data" in doc else doc["notes"][index]["data"]
    res = data[index] if isinstance(data, list) else data
    links = {k: v for k, v in (res.get("links") or {}).items() if k != "self"}
    return {"attributes": copy.deepcopy(res["attributes"]), "links": links}


def stamp(value: datetime) -> str:
    return value.astimezone(TZ).isoformat(timespec="milliseconds")


class Ids:
    """Sequential string ids per type (Teamtailor ids are numeric strings) and the seeded randomness."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.next: dict[str, int] = {}

    def new(self, type_: str, start: int = 1) -> str:
        value = self.next.get(type_, start)
        self.next[type_] = value + 1
        return str(value)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


def resource(type_: str, id_: str, tpl: Raw, rel: Raw | None = None) -> Raw:
    return {"id": id_, "type": type_, "attributes": tpl["attributes"], "rel": rel or {}, "links": tpl["links"]}


def make_user(ids: Ids, n: int) -> Raw:
    tpl = template("users.json")
    first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
    email = f"{first.lower()}.{last.lower()}@company.example"
    tpl["attributes"].update({"name": f"{first} {last}", "email": email, "login-email": email,
                              "username": f"{first.lower()}{n}", "role": "admin" if n % 4 == 0 else "user",
                              "title": TITLES[n % len(TITLES)]})  # fmt: skip
    return resource("users", ids.new("users", 30), tpl)


def make_location(ids: Ids, city: str, country: str) -> Raw:
    tpl = template("locations.json")
    tpl["attributes"].update({"city": city, "country": country, "name": city, "headquarters": city == "Stockholm"})
    return resource("locations", ids.new("locations"), tpl)


def make_job(ids: Ids, n: int, department: Raw, location: Raw, recruiter: Raw) -> Raw:
    tpl = template("jobs.json")
    jid = ids.new("jobs", 20)
    title = f"{TITLES[n % len(TITLES)]} {n}"
    slug = f"{jid}-{title.lower().replace(' ', '-')}"
    human, status = [("published", "open"), ("published", "open"), ("draft", "draft"), ("archived", "archived"),
                     ("unlisted", "unlisted"), ("published", "open")][n % 6]  # fmt: skip
    tpl["attributes"].update({"title": title, "body": f"<p>Join us as {title}.</p>", "human-status": human,
                              "status": status, "internal": n % 7 == 6, "tags": ["Engineering"] if n % 2 else [],
                              "created-at": stamp(BASE + timedelta(days=n))})  # fmt: skip
    host = "https://company0.teamtailor.example"
    tpl["links"] = {"careersite-job-url": f"{host}/jobs/{slug}",
                    "careersite-job-apply-url": f"{host}/jobs/{slug}/applications/new",
                    "careersite-job-apply-iframe-url": f"{host}/jobs/{slug}/applications/new?iframe=true"}  # fmt: skip
    rel = {"department": ("departments", department["id"]), "locations": [("locations", location["id"])],
           "location": ("locations", location["id"]), "user": ("users", recruiter["id"])}  # fmt: skip
    return resource("jobs", jid, tpl, rel)


def make_stage(ids: Ids, job: Raw, n: int) -> Raw:
    tpl = template("stages.json")
    name, kind = STAGES[n]
    created = stamp(BASE + timedelta(days=int(job["id"])))
    tpl["attributes"].update({"name": name, "stage-type": kind, "row-order": n * 1073741824 - 4194303,
                              "created-at": created, "updated-at": created,
                              "active-job-applications-count": 0, "rejected-job-applications-count": 0})  # fmt: skip
    return resource("stages", ids.new("stages"), tpl, {"job": ("jobs", job["id"])})


def make_question(ids: Ids, n: int) -> Raw:
    kind, title, extra = QUESTIONS[n % len(QUESTIONS)]
    attrs = {**copy.deepcopy(QUESTION["attributes"]), "question-type": kind, "title": title, **copy.deepcopy(extra)}
    return resource("questions", ids.new("questions", 44221), {"attributes": attrs, "links": {}})


def make_picked(ids: Ids, job: Raw, question: Raw, mandatory: bool) -> Raw:
    tpl = template("picked-questions.docs.json")
    tpl["attributes"]["mandatory"] = mandatory
    rel = {"question": ("questions", question["id"]), "job": ("jobs", job["id"])}
    return resource("picked-questions", ids.new("picked-questions"), tpl, rel)


def make_candidate(ids: Ids, n: int, created: datetime) -> Raw:
    tpl = template("candidates.json")
    first, last = FIRST[(n * 5) % len(FIRST)], LAST[(n * 7) % len(LAST)]
    cid = ids.new("candidates", 400)
    site = SITES[n % len(SITES)]
    tags = ids.rng.sample(TAGS, ids.rng.choice((0, 0, 1, 2)))
    tpl["attributes"].update({
        "first-name": first, "last-name": last, "email": f"{first.lower()}.{last.lower()}.{cid}@mail.example",
        "phone": f"+46 70 {n:03d} {n % 97:02d} 11" if n % 3 else None, "referring-site": site,
        "linkedin-url": f"https://www.linkedin.com/in/{first.lower()}{cid}" if n % 4 == 1 else None,
        "sourced": site is None, "tags": tags, "resume": f"/files/resume/{cid}" if n % 3 != 2 else None,
        "created-at": stamp(created), "updated-at": stamp(created + timedelta(hours=2)),
    })  # fmt: skip
    return resource("candidates", cid, tpl)


def make_application(ids: Ids, candidate: Raw, job: Raw, stage: Raw, reason: Raw | None, at: datetime) -> Raw:
    tpl = template("job-applications.json")
    tpl["attributes"].update({
        "created-at": stamp(at), "updated-at": stamp(at + timedelta(days=1)),
        "changed-stage-at": stamp(at + timedelta(days=1)), "sourced": candidate["attributes"]["sourced"],
        "referring-site": candidate["attributes"]["referring-site"],
        "rejected-at": stamp(at + timedelta(days=1)) if reason else None,
    })  # fmt: skip
    rel = {"candidate": ("candidates", candidate["id"]), "job": ("jobs", job["id"]), "stage": ("stages", stage["id"]),
           "reject-reason": ("reject-reasons", reason["id"]) if reason else None}  # fmt: skip
    return resource("job-applications", ids.new("job-applications", 634), tpl, rel)


def answer_attributes(question: Raw, rng: random.Random) -> Raw:
    attrs = question["attributes"]
    kind = attrs["question-type"]
    out: Raw = {"boolean": None, "choices": [], "range": None, "text": None}
    if kind == "Boolean":
        out["boolean"] = rng.random() < 0.7
    elif kind == "Choice":
        count = 2 if attrs.get("multiple") else 1
        out["choices"] = rng.sample(attrs["alternatives"], count)
    elif kind == "Text":
        out["text"] = "Because the mission matters to me."
    else:
        out["range"] = rng.randint(0, 20)
    return out


def make_answer(ids: Ids, candidate: Raw, question: Raw, values: Raw, at: str) -> Raw:
    tpl = template("answers.docs.json")
    tpl["attributes"].update({**values, "updated-at": at})
    rel = {"question": ("questions", question["id"]), "candidate": ("candidates", candidate["id"])}
    return resource("answers", ids.new("answers", 1337), tpl, rel)


def make_note(ids: Ids, candidate_id: str, user_id: str, text: str, at: str, private: bool = False) -> Raw:
    tpl = template("notes.docs.json")
    tpl["attributes"].update({"note": text, "user-id": int(user_id), "candidate-id": int(candidate_id),
                              "private-note": private, "created-at": at, "updated-at": at})  # fmt: skip
    nid = ids.new("notes")
    return {"id": nid, "type": "notes", "attributes": tpl["attributes"], "rel": {}, "links": {}}


def make_upload(ids: Ids, candidate: Raw, name: str) -> Raw:
    tpl = template("uploads.json")
    uid = ids.new("uploads")
    tpl["attributes"].update({"url": f"/files/upload/{uid}", "file-name": name, "internal": False})
    return resource("uploads", uid, tpl, {"candidate": ("candidates", candidate["id"]), "job": None})


def make_custom_value(ids: Ids, candidate: Raw, field: Raw, value: object) -> Raw:
    tpl = template("custom-field-values.json")
    tpl["attributes"].update({"field-type": field["attributes"]["field-type"], "value": value})
    rel = {"custom-field": ("custom-fields", field["id"]), "owner": ("candidates", candidate["id"])}
    return resource("custom-field-values", ids.new("custom-field-values"), tpl, rel)


def recorded(name: str, type_: str) -> list[Raw]:
    """Every resource of a recorded listing, as is (reject reasons, departments, custom fields)."""
    data = _load(name)["data"]
    out = []
    for res in data:
        links = {k: v for k, v in (res.get("links") or {}).items() if k != "self"}
        out.append({"id": res["id"], "type": type_, "attributes": copy.deepcopy(res["attributes"]), "rel": {},
                    "links": links})  # fmt: skip
    return out
