"""Deterministic fake Recruitee data: every object is a deep copy of a recorded one (``payloads/``) with only its
values varied, so the fake serves exactly the shapes Recruitee does.

File URLs are stored relative (``/files/...``) and made absolute when served (the fake's host is known then).
"""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

Raw = dict[str, Any]
PAYLOADS = Path(__file__).parent / "payloads"
BASE = datetime(2024, 2, 1, 9, 0, tzinfo=UTC)
COMPANY = 89564

FIRST = ["Wilma", "John", "Conor", "Mariela", "Ada", "Grace", "Alan", "Barbara", "Donald", "Radia", "Linus"]
LAST = ["Roelendsen", "Doe", "Moreno", "Vasquez", "Lovelace", "Hopper", "Turing", "Liskov", "Knuth", "Perlman"]
TITLES = ["Senior Marketer", "Recruiter", "Backend Engineer", "Sales Lead", "Designer", "Data Analyst"]
TAGS = ["Sample", "Senior", "Remote", "Referral", "Top talent"]
REASONS = ["Wrong skill set", "Not enough experience", "Salary expectations", "Withdrew", "Position filled"]
#: Offer statuses cycled through the generated offers (one archived, one closed, one draft).
STATUSES = ["published", "archived", "internal", "published", "draft", "closed", "published"]


@cache
def _load(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text())


def _copy(value: Any) -> Any:
    return copy.deepcopy(value)


def stamp(value: datetime) -> str:
    """Recruitee's timestamps: UTC with microseconds, ``2022-12-19T13:28:15.341931Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Ids:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.next: dict[str, int] = {}

    def new(self, kind: str, start: int) -> int:
        value = self.next.get(kind, start)
        self.next[kind] = value + 1
        return value

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


# --------------------------------------------------------------------------------------- references shapes


def admin_template() -> Raw:
    body = _load("candidates.json")
    admin: Raw = _copy(next(r for r in body["references"] if r["type"] == "Admin"))
    return admin


def make_admin(ids: Ids, n: int) -> Raw:
    admin = admin_template()
    first, last = FIRST[(n * 3) % len(FIRST)], LAST[(n * 5) % len(LAST)]
    aid = ids.new("admins", 152125)
    admin.update({"id": aid, "first_name": first, "last_name": last, "initials": first[0] + last[0],
                  "email": f"{first.lower()}.{last.lower()}@company.example",
                  "photo_normal_url": f"/files/avatar/{aid}", "photo_thumb_url": f"/files/avatar/{aid}"})  # fmt: skip
    return admin


def make_reasons() -> list[Raw]:
    """``/disqualify_reasons`` (id, name, position); the first name is the one the recorded list shows."""
    return [{"id": 40 + i, "name": name, "position": i} for i, name in enumerate(REASONS)]


def offer_reference(offer: Raw) -> Raw:
    keys = ("department_id", "guid", "id", "kind", "lang_code", "location", "position", "slug", "status", "title")
    return {**{k: offer.get(k) for k in keys}, "type": "Offer"}


def stage_reference(stage: Raw) -> Raw:
    template = next(r for r in _load("candidate.json")["references"] if r["type"] == "Stage")
    ref = {k: _copy(stage.get(k, template[k])) for k in template}
    ref.update({"type": "Stage", "created_at": stage.get("_created_at"), "updated_at": stage.get("_created_at")})
    return ref


# ------------------------------------------------------------------------------------------------- offers


def make_offer(ids: Ids, n: int, recruiter: Raw, manager: Raw, kind: str = "job") -> Raw:
    offer: Raw = _copy(_load("offer.json")["offer"])
    oid = ids.new("offers", 1181299)
    title = f"{TITLES[n % len(TITLES)]} {n}" if kind == "job" else f"Talent pool {n}"
    slug = title.lower().replace(" ", "-")
    status = STATUSES[n % len(STATUSES)] if kind == "job" else "published"
    created = BASE + timedelta(days=n)
    offer.update({
        "id": oid, "guid": f"g{oid:x}", "title": title, "slug": slug, "kind": kind, "status": status,
        "position": n, "created_at": stamp(created), "updated_at": stamp(created + timedelta(hours=1)),
        "published_at": stamp(created) if status in ("published", "internal") else None,
        "closed_at": stamp(created + timedelta(days=20)) if status in ("closed", "archived") else None,
        "city": ["Amsterdam", "New York", "Tomelloso"][n % 3], "country_code": ["NL", "US", "ES"][n % 3],
        "location": ["Amsterdam, Netherlands", "New York, United States", "Tomelloso, Spain"][n % 3],
        "remote": n % 4 == 1, "employment_type": ["fulltime", "parttime", "contract", None][n % 4],
        "department": ["Marketing", "Engineering", None][n % 3], "department_id": 288442 + n % 3,
        "recruiter_id": recruiter["id"], "hiring_manager_id": manager["id"] if n % 2 else None,
        "careers_url": f"https://company.recruitee.example/o/{slug}", "url": f"https://company.recruitee.example/o/{slug}",
        "adminapp_url": f"https://app.recruitee.com/#/offers/{slug}", "mailbox_email": f"job.{oid}@company.example",
        "description": f"<p>Join us as {title}.</p>", "requirements": "<p>Curiosity.</p>",
        "salary": {"currency": "EUR", "max": 6000 + 100 * n, "min": 4000 + 100 * n, "period": "month"} if n % 2
        else {"currency": None, "max": None, "min": None, "period": None},
    })  # fmt: skip
    template = offer["pipeline_template"]
    template["id"] = ids.new("pipelines", 654486)
    for stage in template["stages"]:
        stage["id"] = ids.new("stages", 8063160)
        stage["_created_at"] = stamp(created)
    return offer


def public_offer(offer: Raw, *, detail: bool) -> Raw:
    """The offer as served: the list leaves the pipeline out (``pipeline_template_id`` only)."""
    out = {k: _copy(v) for k, v in offer.items() if detail or k != "pipeline_template"}
    for stage in (out.get("pipeline_template") or {}).get("stages") or []:
        stage.pop("_created_at", None)
    return out


# --------------------------------------------------------------------------------------------- candidates


def cv_url(candidate_id: int, name: str) -> str:
    disposition = quote(f"attachment;filename={name}", safe="")
    return f"/files/cv/{candidate_id}?response-content-disposition={disposition}&X-Amz-Expires=36000"


def make_candidate(ids: Ids, n: int, created: datetime, admin: Raw | None) -> Raw:
    cand: Raw = _copy(_load("candidate.json")["candidate"])
    cid = ids.new("candidates", 46044100)
    first, last = FIRST[(n * 7) % len(FIRST)], LAST[(n * 3) % len(LAST)]
    name = f"{first} {last}"
    slug = f"{first}-{last}".lower()
    has_cv = n % 3 != 2
    cand.update({
        "id": cid, "name": name, "initials": first[0] + last[0], "emails": [f"{slug}.{cid}@mail.example"],
        "phones": [f"+3161234{n:04d}"] if n % 4 else [], "example": False, "source": ["career_site", "manual",
        "import"][n % 3], "sources": ["Careers site"], "referrer": ["Indeed", "LinkedIn", None][n % 3],
        "admin_id": admin["id"] if admin else None, "created_at": stamp(created), "updated_at": stamp(created),
        "last_activity_at": stamp(created), "adminapp_url":
        f"https://app.recruitee.com/#/dashboard/overview?candidate={cid}&company={COMPANY}",
        "photo_url": f"/files/photo/{cid}", "photo_thumb_url": f"/files/photo/{cid}", "duplicates": [cid],
        "cv_url": cv_url(cid, f"{slug}-cv.pdf") if has_cv else None,
        "cv_original_url": cv_url(cid, f"{slug}-cv.pdf") if has_cv else None,
        "tags": ids.rng.sample(TAGS, ids.rng.choice((0, 1, 2))), "placements": [], "notes_count": 0,
        "attachments_count": 0, "tasks_count": 0,
    })  # fmt: skip
    zone = next(f for f in cand["fields"] if f.get("name") == "Time zone")
    zone["values"] = [{"text": f"GMT+{n % 5}"}]
    return cand


def make_placement(ids: Ids, cand: Raw, offer: Raw, stage: Raw, at: datetime) -> Raw:
    placement: Raw = _copy(_load("candidate.json")["candidate"]["placements"][0])
    placement.update({"id": ids.new("placements", 48791490), "candidate_id": cand["id"], "offer_id": offer["id"],
                      "stage_id": stage["id"], "created_at": stamp(at), "updated_at": stamp(at)})  # fmt: skip
    return placement


def make_note(ids: Ids, candidate_id: int, admin_id: int, body: str, at: str) -> Raw:
    """A candidate note (shape as third-party clients read it: ``{"notes": [...]}`` of these)."""
    return {"id": ids.new("notes", 7700000), "body": body, "body_html": None, "admin_id": admin_id,
            "candidate_id": candidate_id, "created_at": at, "updated_at": at, "visibility": None}  # fmt: skip


def make_attachment(ids: Ids, candidate_id: int, name: str, at: str, content_type: str) -> Raw:
    aid = ids.new("attachments", 5500000)
    return {"id": aid, "candidate_id": candidate_id, "filename": name, "content_type": content_type,
            "kind": "other", "url": f"/files/attachment/{aid}", "created_at": at}  # fmt: skip


def list_view(candidate: Raw) -> Raw:
    """A candidate as ``GET /candidates`` lists it: the recorded list keys only (no tags, fields or CV)."""
    keys = _load("candidates.json")["candidates"][0].keys()
    out = {k: _copy(candidate.get(k)) for k in keys}
    out["placements"] = [{k: v for k, v in p.items() if k != "rating_visible"} for p in out["placements"]]
    return out
