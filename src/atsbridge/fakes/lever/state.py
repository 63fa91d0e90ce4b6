"""The fake Lever tenant's state: data and mutations for tests, on the fake engine's
:class:`~atsbridge.fakes.kit.state.FakeBase` (lock, faults, request log, counters, auth, rate limit).

The state is shared by the server thread (uvicorn) and the test thread, so every read and write holds
``lock``. Mutations are plain methods that later write endpoints can call as they are (``move_stage``,
``archive``, ``add_note``...). Each bumps the opportunity's ``updatedAt`` as Lever does, so delta syncs see it.
"""

from __future__ import annotations

import copy
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from atsbridge.fakes.kit.auth import BasicAuth
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.state import FakeBase
from atsbridge.fakes.lever import generate as g

Raw = dict[str, Any]
#: Per-opportunity sub-resources served under ``/opportunities/{id}/<name>``.
SUBS = ("applications", "interviews", "feedback", "notes", "offers", "resumes", "files")
#: Posting states that take no new candidates (``rejected``: turned down in approval).
CLOSED_POSTING_STATES = frozenset({"closed", "rejected"})


class LeverError(VendorError):
    """An error answer in Lever's shape: ``{"code": ..., "message": ...}`` with an HTTP status."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(status, message, code=code)


def bad_request(message: str) -> LeverError:
    return LeverError(400, "BadRequestError", message)


@dataclass
class FakeState(FakeBase):
    api_key: str = "lever_key"
    users: list[Raw] = field(default_factory=list)
    stages: list[Raw] = field(default_factory=list)
    archive_reasons: list[Raw] = field(default_factory=list)
    postings: dict[str, Raw] = field(default_factory=dict)
    apply_forms: dict[str, Raw] = field(default_factory=dict)
    opportunities: dict[str, Raw] = field(default_factory=dict)
    #: sub-resource name -> opportunity id -> records
    subs: dict[str, dict[str, list[Raw]]] = field(default_factory=lambda: {s: {} for s in SUBS})
    #: deletion feed name (opportunities, applications, postings) -> [{"id", "deletedAt"}]
    deleted: dict[str, list[Raw]] = field(default_factory=lambda: {"opportunities": [], "applications": [],
                                                                     "postings": []})  # fmt: skip
    #: Uploaded file bytes by file id (served by ``/download``; generated files get placeholder bytes).
    file_contents: dict[str, bytes] = field(default_factory=dict)
    ids: g.Ids = field(default_factory=lambda: g.Ids(0))
    #: Webhooks created through ``POST /v1/webhooks`` by id (their receivers are on ``webhooks``).
    webhook_records: dict[str, Raw] = field(default_factory=dict)
    _clock: int = 0

    def __post_init__(self) -> None:
        """Basic auth: the key is the user name and the password is blank."""
        FakeBase.__init__(self, BasicAuth(self.api_key, "", realm="Lever"))

    @property
    def requests(self) -> list[str]:
        """``METHOD path?query`` of every request, in order (``fake.log.clear()`` empties it)."""
        return self.log.lines()

    # ------------------------------------------------------------------------------------- generation
    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, api_key: str = "lever_key") -> FakeState:
        """A tenant with about ``records`` applications (a few leads have none, a few have two)."""
        state = cls(api_key=api_key, ids=g.Ids(seed))
        ids = state.ids
        state.users = [g.make_user(ids, n) for n in range(8)]
        state.users[-1]["deactivatedAt"] = g.BASE_MS  # deactivated users stay listed with includeDeactivated
        state.stages = g.template("stages.json")
        state.archive_reasons = g.template("archive_reasons.json")
        for n in range(max(3, records // 8)):
            posting = g.make_posting(ids, n, state.users)
            state.postings[posting["id"]] = posting
            state.apply_forms[posting["id"]] = g.make_apply_form(ids, posting, n)
        apps, n = 0, 0
        while apps < records:
            apps += state._populate_opportunity(n)
            n += 1
        return state

    def _populate_opportunity(self, n: int) -> int:
        ids = self.ids
        opp = g.make_opportunity(ids, n, self.users, self.stages, self.archive_reasons)
        postings = list(self.postings.values())
        count = 0 if n % 13 == 5 else 2 if n % 11 == 3 else 1  # leads without a posting, double applicants
        chosen = ids.rng.sample(postings, count)
        for posting in chosen:
            app = g.make_application(ids, opp, posting, self.apply_forms.get(posting["id"]))
            opp["applications"].append(app["id"])
            opp["tags"] = list(dict.fromkeys(opp["tags"] + g.posting_tags(posting)))
            self.subs["applications"].setdefault(opp["id"], []).append(app)
            self._populate_children(opp, posting)
        if chosen:
            opp["opportunityLocation"] = chosen[0]["categories"]["location"]
        else:
            opp.pop("opportunityLocation", None)  # as recorded: leads without a posting lack the key
        self.opportunities[opp["id"]] = opp
        for sub in SUBS:
            self.subs[sub].setdefault(opp["id"], [])
        return count

    def _populate_children(self, opp: Raw, posting: Raw) -> None:
        ids, subs, oid = self.ids, self.subs, opp["id"]
        for k in range(ids.rng.choice((0, 1, 2))):
            interview = g.make_interview(ids, opp, posting["id"], self.users, opp["createdAt"] + (k + 2) * g.DAY_MS)
            subs["interviews"].setdefault(oid, []).append(interview)
            if ids.chance(0.6):
                subs["feedback"].setdefault(oid, []).append(g.make_feedback(ids, interview))
        for _ in range(ids.rng.choice((0, 1, 1, 2))):
            author = ids.rng.choice(self.users)["id"]
            note = g.make_note(ids, opp, author, opp["createdAt"] + g.DAY_MS, "Spoke on the phone.", ids.chance(0.1))
            subs["notes"].setdefault(oid, []).append(note)
        if opp["stage"] == "offer" or ids.chance(0.15):
            subs["offers"].setdefault(oid, []).append(g.make_offer(ids, opp, posting["id"]))
        if ids.chance(0.7) and not subs["resumes"].get(oid):
            subs["resumes"].setdefault(oid, []).append(g.make_resume(ids, opp))
        if ids.chance(0.2):
            subs["files"].setdefault(oid, []).append(g.make_file(ids, opp))

    # ---------------------------------------------------------------------------------------- reading
    def tags(self) -> list[Raw]:
        """``/tags``: every tag in use with its count, sorted case-insensitively like Lever."""
        counts = Counter(t for o in self.opportunities.values() for t in o["tags"])
        return [{"count": c, "text": t} for t, c in sorted(counts.items(), key=lambda kv: (kv[0].lower(), kv[0]))]

    def sources(self) -> list[Raw]:
        counts = Counter(s for o in self.opportunities.values() for s in o["sources"])
        return [{"count": c, "text": s} for s, c in sorted(counts.items(), key=lambda kv: kv[0].lower())]

    def children(self, sub: str, opportunity_id: str) -> list[Raw]:
        return self.subs[sub].get(opportunity_id, [])

    def live(self, sub: str) -> list[Raw]:
        """All live records of one sub-resource (deleted feedback, notes and files excluded)."""
        return [r for rows in self.subs[sub].values() for r in rows if not r.get("deletedAt")]

    def expanded(self, opp: Raw) -> Raw:
        """The opportunity as ``expand=applications`` serves it: application objects instead of ids."""
        out = copy.deepcopy(opp)
        out["applications"] = copy.deepcopy(self.children("applications", opp["id"]))
        return out

    # -------------------------------------------------------------------------------------- mutations
    def now_ms(self) -> int:
        """Wall-clock ms, strictly increasing (two mutations never share an ``updatedAt``)."""
        self._clock = max(int(time.time() * 1000), self._clock + 1)
        return self._clock

    def _touch(self, opportunity_id: str) -> Raw:
        opp = self.opportunities[opportunity_id]
        opp["updatedAt"] = opp["lastInteractionAt"] = self.now_ms()
        return opp

    def edit_opportunity(self, opportunity_id: str, **changes: Any) -> Raw:
        """Change top-level fields (``name``, ``headline``, ``emails``, ``tags``...)."""
        with self.lock:
            opp = self.opportunities[opportunity_id]
            unknown = set(changes) - set(opp)
            if unknown:
                raise KeyError(f"not opportunity fields: {sorted(unknown)}")
            opp.update(copy.deepcopy(changes))
            return self._touch(opportunity_id)

    def move_stage(self, opportunity_id: str, stage_id: str, user_id: str | None = None) -> Raw:
        with self.lock:
            index = self.stage_index(stage_id)
            opp = self._touch(opportunity_id)
            opp["stage"] = stage_id
            opp["lastAdvancedAt"] = opp["updatedAt"]
            opp["stageChanges"].append(
                {"toStageId": stage_id, "toStageIndex": index, "updatedAt": opp["updatedAt"],
                 "userId": user_id or opp["owner"]}
            )  # fmt: skip
            return opp

    def archive(self, opportunity_id: str, reason_id: str | None) -> Raw:
        """``PUT /opportunities/{id}/archived``: a reason archives (the applications too); None unarchives."""
        with self.lock:
            if reason_id is not None and not any(r["id"] == reason_id for r in self.archive_reasons):
                raise bad_request(f"Invalid archive reason: {reason_id}")
            opp = self._touch(opportunity_id)
            archived = {"reason": reason_id, "archivedAt": opp["updatedAt"]} if reason_id else None
            opp["archived"] = archived
            for app in self.children("applications", opportunity_id):
                app["archived"] = copy.deepcopy(archived)
            return opp

    def stage_index(self, stage_id: object) -> int:
        """The stage's pipeline position; an unknown stage is Lever's 400."""
        for i, stage in enumerate(self.stages):
            if stage["id"] == stage_id:
                return i
        raise bad_request(f"Invalid stage: {stage_id}")

    def reason(self, kind: str) -> Raw:
        return next(r for r in self.archive_reasons if r["type"] == kind and r["status"] == "active")

    def hire(self, opportunity_id: str) -> Raw:
        """Archive with a reason of type ``hired``: Lever's way of recording a hire."""
        return self.archive(opportunity_id, self.reason("hired")["id"])

    def reject(self, opportunity_id: str, reason_id: str | None = None) -> Raw:
        return self.archive(opportunity_id, reason_id or self.reason("non-hired")["id"])

    def delete_opportunity(self, opportunity_id: str) -> None:
        """Remove it with everything under it; it and its applications appear in the deletion feeds."""
        with self.lock:
            when = self.now_ms()
            del self.opportunities[opportunity_id]
            for app in self.children("applications", opportunity_id):
                self.deleted["applications"].append({"id": app["id"], "deletedAt": when})
            for sub in SUBS:
                self.subs[sub].pop(opportunity_id, None)
            self.deleted["opportunities"].append({"id": opportunity_id, "deletedAt": when})

    def add_interview(self, opportunity_id: str, **changes: Any) -> Raw:
        with self.lock:
            opp = self._touch(opportunity_id)
            apps = self.children("applications", opportunity_id)
            posting = apps[0]["posting"] if apps else next(iter(self.postings))
            interview = g.make_interview(self.ids, opp, posting, self.users, opp["updatedAt"] + g.DAY_MS)
            interview.update(changes)
            self.subs["interviews"].setdefault(opportunity_id, []).append(interview)
            return interview

    def add_note(self, opportunity_id: str, value: str, user_id: str | None = None, secret: bool = False) -> Raw:
        """``POST /opportunities/{id}/notes``."""
        with self.lock:
            opp = self._touch(opportunity_id)
            note = g.make_note(self.ids, opp, user_id or opp["owner"], opp["updatedAt"], value, secret)
            self.subs["notes"].setdefault(opportunity_id, []).append(note)
            return note

    def edit_posting(self, posting_id: str, **changes: Any) -> Raw:
        with self.lock:
            posting = self.postings[posting_id]
            posting.update(copy.deepcopy(changes))
            posting["updatedAt"] = self.now_ms()
            return posting

    def delete_posting(self, posting_id: str) -> None:
        with self.lock:
            del self.postings[posting_id]
            self.apply_forms.pop(posting_id, None)
            self.deleted["postings"].append({"id": posting_id, "deletedAt": self.now_ms()})

    # ------------------------------------------------------------------ writes (called by the endpoints)
    def acting_user(self, user_id: str | None) -> str:
        """``perform_as``: an active user of the account, else Lever's 400."""
        if not user_id:
            raise bad_request("perform_as is required: the id of the Lever user the request acts as")
        if not any(u["id"] == user_id and not u.get("deactivatedAt") for u in self.users):
            raise bad_request(f"perform_as: no active user {user_id}")
        return user_id

    def _open_posting(self, posting_id: object) -> Raw:
        posting = self.postings.get(str(posting_id))
        if posting is None:
            raise bad_request(f"Invalid posting: {posting_id}")
        if posting["state"] in CLOSED_POSTING_STATES:
            raise bad_request(f"Posting {posting_id} is {posting['state']}: a closed posting takes no candidates")
        return posting

    def _duplicate(self, contact: str, posting_ids: list[str]) -> Raw | None:
        """An active opportunity of ``contact`` that already applied to one of ``posting_ids``."""
        for opp in self.opportunities.values():
            if opp["contact"] != contact or opp["archived"]:
                continue
            if any(a["posting"] in posting_ids for a in self.children("applications", opp["id"])):
                return opp
        return None

    def create_opportunity(self, body: Raw, user_id: str) -> tuple[Raw, bool, bool]:
        """``POST /opportunities``: (opportunity, deduped, created). Lever dedupes by email: a known email reuses
        its contact, and an active candidacy of that contact for the same posting is returned as it is."""
        with self.lock:
            postings = [self._open_posting(p)["id"] for p in body.get("postings") or []]
            stage_id = body.get("stage") or self.stages[0]["id"]
            index = self.stage_index(stage_id)
            emails = [str(e) for e in body.get("emails") or []]
            lowered = {e.lower() for e in emails}
            match = next((o for o in self.opportunities.values() if lowered & {e.lower() for e in o["emails"]}), None)
            if match is not None:
                same = self._duplicate(match["contact"], postings)
                if same is not None:
                    return copy.deepcopy(same), True, False
            now = self.now_ms()
            opp: Raw = g.template("write_create_opportunity.response.json")
            oid = self.ids.uuid()
            opp.update(
                id=oid, name=body.get("name") or "", contact=match["contact"] if match else self.ids.uuid(),
                headline=body.get("headline") or "", stage=stage_id, location=body.get("location") or "",
                phones=copy.deepcopy(body.get("phones") or []), emails=emails, links=list(body.get("links") or []),
                archived=None, tags=list(body.get("tags") or []), sources=list(body.get("sources") or []),
                stageChanges=[{"toStageId": stage_id, "toStageIndex": index, "updatedAt": now, "userId": user_id}],
                origin=body.get("origin") or "sourced", owner=body.get("owner") or user_id, followers=[user_id],
                sourcedBy=user_id if body.get("origin", "sourced") == "sourced" else None, applications=[],
                createdAt=now, updatedAt=now, lastInteractionAt=now, lastAdvancedAt=now, snoozedUntil=None,
            )  # fmt: skip
            opp["urls"]["show"] = f"https://hire.lever.co/candidates/{oid}"
            for sub in SUBS:
                self.subs[sub].setdefault(oid, [])
            for pid in postings:
                posting = self.postings[pid]
                app = g.make_application(self.ids, opp, posting, None)
                app.update(type="user", company=None, user=user_id, createdAt=now)
                opp["applications"].append(app["id"])
                opp["tags"] = list(dict.fromkeys(opp["tags"] + g.posting_tags(posting)))
                self.subs["applications"][oid].append(app)
            if postings:
                opp["opportunityLocation"] = self.postings[postings[0]]["categories"]["location"]
            self.opportunities[oid] = opp
            return copy.deepcopy(opp), match is not None, True

    def _edit_list(self, opportunity_id: str, key: str, add: list[str], remove: list[str]) -> Raw:
        """``addTags``/``removeTags``/``addLinks``/``removeLinks``: set semantics, absent values are ignored."""
        with self.lock:
            values = [v for v in self.opportunities[opportunity_id][key] if v not in remove]
            return self.edit_opportunity(opportunity_id, **{key: list(dict.fromkeys(values + add))})

    def add_tags(self, opportunity_id: str, tags: list[str]) -> Raw:
        return self._edit_list(opportunity_id, "tags", tags, [])

    def remove_tags(self, opportunity_id: str, tags: list[str]) -> Raw:
        return self._edit_list(opportunity_id, "tags", [], tags)

    def add_links(self, opportunity_id: str, links: list[str]) -> Raw:
        return self._edit_list(opportunity_id, "links", links, [])

    def remove_links(self, opportunity_id: str, links: list[str]) -> Raw:
        return self._edit_list(opportunity_id, "links", [], links)

    def add_file(self, opportunity_id: str, name: str, content: bytes) -> Raw:
        """``POST /opportunities/{id}/files``: the documented file record; the bytes are kept for download."""
        with self.lock:
            opp = self._touch(opportunity_id)
            record = g.make_file(self.ids, opp)
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            record.update(name=name, ext=f".{ext}" if ext else "", uploadedAt=opp["updatedAt"], size=len(content))
            self.subs["files"].setdefault(opportunity_id, []).append(record)
            self.file_contents[record["id"]] = content
            return record
