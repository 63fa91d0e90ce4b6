"""The fake Fountain's tenant: funnels (with their stages and form fields), applicants, notes and stage
transitions, and the mutations tests, ``simulate`` and the write handlers make.

Funnels are deep copies of the recorded ``payloads/funnels_list.json`` funnel with varied values. No applicant
or note was ever recorded: applicants follow the documented fields [doc] and the Ruby ``fountain`` gem's
fixture [conn] (``id, email, name, phone_number, data, created_at, funnel{id,title,custom_id}, stage{id,title},
background_checks[], document_signatures[{vendor, signature_id, status, file_url}], labels[]``; the list page's
example shows the same fields [doc, excerpt only: not stored as a payload]); notes follow the gem's ``Fountain::Note``
(``id, content, created_at, updated_at, user``; ``user`` is null here [gap: its shape is unknown]).
"""

from __future__ import annotations

import copy
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
TEMPLATE = json.loads((Path(__file__).parent / "payloads" / "funnels_list.json").read_text())["funnels"][0]
BASE = datetime(2024, 3, 1, tzinfo=UTC)
#: (title, type) of a funnel's pipeline; only ``HiredStage`` was seen in a recording [gap for the others].
PIPELINE = (("Application", "DataCollectionStage"), ("Phone Interview", "SchedulerStage"),
            ("Background Check", "BackgroundCheckerStage"), ("Approved", "HiredStage"),
            ("Rejected", "RejectedStage"), ("Archived", "ArchivedStage"))  # fmt: skip
ROLES = ("Delivery Driver", "Warehouse Associate", "Barista", "Line Cook", "Store Clerk", "Caregiver")
CITIES = (("San Francisco", 37.7749, -122.4194), ("Austin", 30.2672, -97.7431), ("Denver", 39.7392, -104.9903))
FIRST = ("Ada", "Grace", "Alan", "Radia", "Barbara", "Ken", "Margaret", "Dennis")
LAST = ("Lovelace", "Hopper", "Turing", "Perlman", "Liskov", "Thompson", "Hamilton", "Ritchie")


def stamp(ts: datetime) -> str:
    """Fountain's timestamps: ISO 8601 with milliseconds and the account's offset."""
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}-00:00"


@dataclass
class FakeState(Seeded):
    api_key: str = "fountain_key"
    funnels: dict[str, Raw] = field(default_factory=dict)
    applicants: dict[str, Raw] = field(default_factory=dict)
    notes: dict[str, list[Raw]] = field(default_factory=dict)
    transitions: dict[str, list[Raw]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.serve(HeaderKey(self.api_key, header="X-ACCESS-TOKEN", prefix=""))

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for n in range(max(3, records // 6)):
            state._funnel(n)
        active = [f for f in state.funnels.values() if f["active"]]
        for n in range(records):
            funnel = state.rng.choice(active)
            when = BASE + timedelta(days=state.rng.randint(0, 300), minutes=n)
            made = state._applicant(n, funnel, when)
            state.move(made["id"], state.rng.choice(funnel["stages"])["id"], when=when + timedelta(hours=2))
        return state

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _funnel(self, n: int) -> Raw:
        funnel: Raw = copy.deepcopy(TEMPLATE)
        city, lat, lon = CITIES[n % len(CITIES)]
        funnel.update(id=self.uid(), custom_id=f"REQ-{100 + n}", title=f"{ROLES[n % len(ROLES)]} - {city}",
                      is_private=n % 4 == 3, active=n % 5 != 4, created_at=stamp(BASE + timedelta(days=n)),
                      stages=[{"id": self.uid(), "title": t, "type": k} for t, k in PIPELINE])  # fmt: skip
        funnel["fields"] = [{"question": "Do you have a driver's license?", "type": "text_field", "key": "license"}]
        funnel["location"].update(name=city, id=self.uid(), latitude=lat, longitude=lon)
        self.funnels[funnel["id"]] = funnel
        return funnel

    def _applicant(self, n: int, funnel: Raw, when: datetime, body: Raw | None = None) -> Raw:
        first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
        body = body or {"name": f"{first} {last}", "email": f"{first}.{last}.{n}@mail.example".lower(),
                        "phone_number": f"+1415555{n:04d}", "data": {"license": "yes" if n % 2 else "no"}}  # fmt: skip
        made: Raw = {
            "id": self.uid(), "email": body["email"], "name": body["name"], "phone_number": body.get("phone_number"),
            "data": dict(body.get("data") or {}), "created_at": stamp(when),
            "funnel": {k: funnel[k] for k in ("id", "title", "custom_id")},
            "stage": {"id": funnel["stages"][0]["id"], "title": funnel["stages"][0]["title"]},
            "background_checks": [{"title": "Driver license check", "status": "pending", "vendor": "checkr",
                                   "candidate_id": f"chk{n}", "report_id": f"rep{n}"}] if n % 3 == 0 else [],
            "document_signatures": [{"vendor": "hellosign", "signature_id": f"sig{n}", "status": "signed",
                                     "file_url": f"https://uploads.fountain.example/signature-{n}.pdf"}]
            if n % 4 == 0 else [],
            "labels": [{"title": "Documents received", "completed": n % 2 == 0}],
        }  # fmt: skip
        self.applicants[made["id"]] = made
        self.transitions[made["id"]] = [{"stage_title": made["stage"]["title"], "created_at": stamp(when)}]
        self.notes[made["id"]] = []
        return made

    # ------------------------------------------------------------------------------------- mutations
    def now(self) -> datetime:
        return self.tick()

    def found(self, applicant_id: str) -> Raw:
        applicant = self.applicants.get(applicant_id)
        if applicant is None:
            raise VendorError(404, "Applicant not found")
        return applicant

    def create(self, body: Raw) -> Raw:
        """``POST /v2/applicants``: ``name``, ``email``, ``phone_number`` required [doc]; ``funnel_id`` and
        ``stage_id`` must exist (Fountain puts an applicant without a funnel in the oldest one: not modelled)."""
        with self.lock:
            for key in ("name", "email", "phone_number"):
                if not isinstance(body.get(key), str) or not body[key].strip():
                    raise VendorError(422, f"{key} can't be blank")
            funnel = self.funnels.get(str(body.get("funnel_id")))
            if funnel is None:
                raise VendorError(422, "Funnel not found")
            if not isinstance(body.get("data") or {}, dict):
                raise VendorError(422, "data must be an object")
            made = self._applicant(len(self.applicants), funnel, self.now(), body)
            if body.get("stage_id"):
                self.move(made["id"], str(body["stage_id"]))
            return made

    def move(self, applicant_id: str, stage_id: str | None, when: datetime | None = None) -> Raw:
        """``PUT .../advance``: to ``stage_id`` (one of its funnel's) or, without one, to the next stage."""
        with self.lock:
            applicant = self.found(applicant_id)
            stages = self.funnels[applicant["funnel"]["id"]]["stages"]
            if stage_id is None:
                at = next(i for i, s in enumerate(stages) if s["id"] == applicant["stage"]["id"])
                stage_id = stages[min(at + 1, len(stages) - 1)]["id"]
            stage = next((s for s in stages if s["id"] == stage_id), None)
            if stage is None:
                raise VendorError(422, "Stage does not belong to the applicant's opening")
            if stage["id"] != applicant["stage"]["id"]:
                applicant["stage"] = {"id": stage["id"], "title": stage["title"]}
                self.transitions[applicant_id].append({"stage_title": stage["title"],
                                                       "created_at": stamp(when or self.now())})  # fmt: skip
            return applicant

    def rename(self, applicant_id: str, name: str) -> Raw:
        with self.lock:
            applicant = self.found(applicant_id)
            applicant["name"] = name
            return applicant

    def delete(self, applicant_id: str) -> None:
        with self.lock:
            self.found(applicant_id)
            for table in (self.applicants, self.notes, self.transitions):
                table.pop(applicant_id, None)

    def add_note(self, applicant_id: str, content: Any) -> Raw:
        with self.lock:
            self.found(applicant_id)
            if not isinstance(content, str) or not content.strip():
                raise VendorError(422, "content can't be blank")
            now = stamp(self.now())
            note = {"id": self.uid(), "content": content, "created_at": now, "updated_at": now, "user": None}
            self.notes[applicant_id].append(note)
            return note
