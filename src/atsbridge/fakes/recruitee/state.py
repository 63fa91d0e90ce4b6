"""The fake Recruitee company: admins, offers with their pipelines, candidates with placements, notes, files;
mutations for tests (faults, log, auth and rate limit come from the engine's ``FakeBase``).

Timestamps move as the recorded payloads show: a placement's change (stage, disqualification, hire) moves the
*placement's* ``updated_at`` only; an edit of the candidate moves the candidate's. Notes, tags and files are
assumed to move the candidate's ``updated_at`` too (not verifiable from the recordings).

Shared by the server thread and the test thread: every read and write holds ``lock``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.state import FakeBase
from atsbridge.fakes.recruitee import generate as g

Raw = dict[str, Any]


@dataclass
class FakeState(FakeBase):
    token: str = "recruitee_token"
    company: str = "89564"
    admins: list[Raw] = field(default_factory=list)
    reasons: list[Raw] = field(default_factory=list)
    offers: dict[int, Raw] = field(default_factory=dict)
    candidates: dict[int, Raw] = field(default_factory=dict)
    notes: dict[int, list[Raw]] = field(default_factory=dict)
    attachments: dict[int, list[Raw]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    ids: g.Ids = field(default_factory=lambda: g.Ids(0))
    _clock: datetime = g.BASE

    def __post_init__(self) -> None:
        FakeBase.__init__(self, HeaderKey(self.token, "Authorization", "Bearer "))

    # ------------------------------------------------------------------------------------- generation
    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, token: str = "recruitee_token") -> FakeState:
        """A company with about ``records`` placements over ``records // 6`` job offers and one talent pool."""
        state = cls(token=token, ids=g.Ids(seed))
        ids = state.ids
        state.admins = [g.make_admin(ids, n) for n in range(5)]
        state.reasons = g.make_reasons()
        for n in range(max(3, records // 6)):
            offer = g.make_offer(ids, n, state.admins[n % 5], state.admins[(n + 1) % 5])
            state.offers[offer["id"]] = offer
        pool = g.make_offer(ids, 99, state.admins[0], state.admins[1], kind="talent_pool")
        state.offers[pool["id"]] = pool
        placed, n = 0, 0
        while placed < records:
            placed += state._populate(n)
            n += 1
        return state

    def _jobs(self, *, open_only: bool = True) -> list[Raw]:
        bad = ("draft", "archived", "closed") if open_only else ()
        return [o for o in self.offers.values() if o["kind"] == "job" and o["status"] not in bad]

    def _populate(self, n: int) -> int:
        ids = self.ids
        created = g.BASE + timedelta(days=10 + n % 300, minutes=n)
        cand = g.make_candidate(ids, n, created, ids.rng.choice(self.admins) if ids.chance(0.3) else None)
        self.candidates[cand["id"]] = cand
        count = 0 if n % 13 == 5 else 2 if n % 11 == 3 else 1
        for offer in ids.rng.sample(self._jobs(), count):
            stage = ids.rng.choice(self.stages_of(offer["id"]))
            placement = g.make_placement(ids, cand, offer, stage, created)
            self._settle(placement, stage, created)
            cand["placements"].append(placement)
        if n % 9 == 4:  # also in the talent pool: a placement that is no application
            pool = next(o for o in self.offers.values() if o["kind"] == "talent_pool")
            cand["placements"].append(g.make_placement(ids, cand, pool, self.stages_of(pool["id"])[2], created))
        at = g.stamp(created + timedelta(days=1))
        for _ in range(ids.rng.choice((0, 1, 1, 2))):
            self.notes.setdefault(cand["id"], []).append(g.make_note(ids, cand["id"], self.admins[0]["id"],
                                                                      "Phone screen went well.", at))  # fmt: skip
        if ids.chance(0.25):
            self.attachments.setdefault(cand["id"], []).append(
                g.make_attachment(ids, cand["id"], "portfolio.pdf", at, "application/pdf")
            )
        self._counts(cand)
        return count

    def _settle(self, placement: Raw, stage: Raw, at: datetime) -> None:
        """Hired in a ``hire`` stage; some others disqualified, as the recorded placements are."""
        if stage["category"] == "hire":
            placement.update({"hired_at": g.stamp(at + timedelta(days=5)), "hired_by_id": self.admins[0]["id"]})
        elif self.ids.chance(0.25):
            placement.update(
                {"disqualify_kind": "admin", "disqualify_reason": self.ids.rng.choice(self.reasons)["name"]}
            )
        placement["updated_at"] = g.stamp(at + timedelta(days=5))

    def _counts(self, cand: Raw) -> None:
        cand["notes_count"] = len(self.notes.get(cand["id"], []))
        cand["attachments_count"] = len(self.attachments.get(cand["id"], []))

    # ---------------------------------------------------------------------------------------- reading
    def stages_of(self, offer_id: int) -> list[Raw]:
        stages = self.offers[offer_id]["pipeline_template"]["stages"]
        return sorted(stages, key=lambda s: s["position"])

    def stage(self, stage_id: int) -> tuple[Raw, Raw]:
        """(offer, stage) of a stage id."""
        for offer in self.offers.values():
            for stage in offer["pipeline_template"]["stages"]:
                if stage["id"] == stage_id:
                    return offer, stage
        raise KeyError(f"stage {stage_id}")

    def placement(self, placement_id: int) -> tuple[Raw, Raw]:
        """(candidate, placement) of a placement id."""
        for cand in self.candidates.values():
            for placement in cand["placements"]:
                if placement["id"] == placement_id:
                    return cand, placement
        raise KeyError(f"placement {placement_id}")

    def placements(self, *, jobs_only: bool = True) -> list[Raw]:
        pools = {oid for oid, o in self.offers.items() if o["kind"] != "job"}
        return [
            p for c in self.candidates.values() for p in c["placements"] if not jobs_only or p["offer_id"] not in pools
        ]

    def references(self, cands: list[Raw]) -> list[Raw]:
        """The Offer, Stage and Admin objects ``cands`` name, as Recruitee's ``references`` list."""
        refs: dict[str, Raw] = {}
        for cand in cands:
            for p in cand["placements"]:
                offer = self.offers.get(p["offer_id"])
                if offer is not None:
                    refs.setdefault(f"Offer:{offer['id']}", g.offer_reference(offer))
                    stage = next((s for s in offer["pipeline_template"]["stages"] if s["id"] == p["stage_id"]), None)
                    if stage is not None:
                        refs.setdefault(f"Stage:{stage['id']}", g.stage_reference(stage))
            admin = next((a for a in self.admins if a["id"] == cand.get("admin_id")), None)
            if admin is not None:
                refs.setdefault(f"Admin:{admin['id']}", copy.deepcopy(admin))
        return list(refs.values())

    # -------------------------------------------------------------------------------------- mutations
    def now(self) -> str:
        """Wall-clock time, strictly increasing (two mutations never share an ``updated_at``)."""
        self._clock = max(datetime.now(UTC), self._clock + timedelta(microseconds=1))
        return g.stamp(self._clock)

    def touch(self, cand: Raw) -> Raw:
        cand["updated_at"] = cand["last_activity_at"] = self.now()
        return cand

    def edit_candidate(self, candidate_id: int, **changes: Any) -> Raw:
        with self.lock:
            cand = self.candidates[candidate_id]
            unknown = set(changes) - set(cand)
            if unknown:
                raise KeyError(f"not candidate fields: {sorted(unknown)}")
            cand.update(copy.deepcopy(changes))
            return self.touch(cand)

    def move_stage(self, placement_id: int, stage_id: int) -> Raw:
        """``change_stage``: a move requalifies, and a ``hire`` stage hires."""
        with self.lock:
            cand, placement = self.placement(placement_id)
            offer, stage = self.stage(stage_id)
            if offer["id"] != placement["offer_id"]:
                raise ValueError(f"stage {stage_id} is not in offer {placement['offer_id']}'s pipeline")
            placement["stage_id"] = stage_id
            for key in ("disqualify_kind", "disqualify_reason"):
                placement.pop(key, None)
            hired = stage["category"] == "hire"
            placement["hired_at"] = self.now() if hired else None
            placement["hired_by_id"] = self.admins[0]["id"] if hired else None
            placement["updated_at"] = self.now()
            return placement

    def hire(self, placement_id: int) -> Raw:
        with self.lock:
            _, placement = self.placement(placement_id)
            hire = next(s for s in self.stages_of(placement["offer_id"]) if s["category"] == "hire")
            return self.move_stage(placement_id, hire["id"])

    def disqualify(self, placement_id: int, reason_id: int | None = None) -> Raw:
        with self.lock:
            _, placement = self.placement(placement_id)
            reason = next(r for r in self.reasons if reason_id is None or r["id"] == reason_id)
            placement.update({"disqualify_kind": "admin", "disqualify_reason": reason["name"]})
            placement["updated_at"] = self.now()
            return placement

    def delete_candidate(self, candidate_id: int) -> None:
        with self.lock:
            del self.candidates[candidate_id]
            self.notes.pop(candidate_id, None)
            self.attachments.pop(candidate_id, None)

    def add_note(self, candidate_id: int, body: str, admin_id: int | None = None) -> Raw:
        with self.lock:
            cand = self.candidates[candidate_id]
            note = g.make_note(self.ids, candidate_id, admin_id or self.admins[0]["id"], body, self.now())
            self.notes.setdefault(candidate_id, []).append(note)
            self._counts(cand)
            self.touch(cand)
            return note

    def add_attachment(self, candidate_id: int, name: str, content: bytes, content_type: str) -> Raw:
        with self.lock:
            cand = self.candidates[candidate_id]
            row = g.make_attachment(self.ids, candidate_id, name, self.now(), content_type)
            self.files[f"attachment/{row['id']}"] = content
            self.attachments.setdefault(candidate_id, []).append(row)
            self._counts(cand)
            self.touch(cand)
            return row

    def set_tags(self, candidate_id: int, tags: list[str]) -> Raw:
        with self.lock:
            cand = self.candidates[candidate_id]
            cand["tags"] = list(dict.fromkeys(tags))
            return self.touch(cand)
