"""A stateful fake of the Taleez API (``atsbridge fake-ats taleez``).

**No Taleez payload was ever recorded**: every record is built field by field from the documented shapes
(OpenAPI 0.4.0 [doc mirror], newer fields [conn]; see the connector's ``mappers``): jobs with ``dateCreation``
in seconds, applications with ``date`` in milliseconds (as in Taleez's own examples [gap]).

Served under ``/0``: ``GET /jobs``, ``/jobs/{id}``, ``/candidates`` (``mail[]`` filter), ``/candidates/{id}``,
``/candidates/{id}/applications`` and ``/jobs/{id}/questions`` (bare arrays, not paged), ``/recruiters`` and
``POST /jobs/{id}/applications`` (``{candidateId, applicationId}``; the candidate is reused when the mail is
known; unknown question or choice ids are refused). The quirk copied: **pages count from 0** (``page``,
``pageSize``; ``{page, pageSize, listSize, totalSize, list, hasMore}``); a page size over 200 is refused [gap:
max undocumented]. Auth: ``X-taleez-api-secret``. 100 requests/minute, then 429
(no headers [gap]). Error bodies ``{"message": ...}`` [gap: undocumented].
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from atsbridge.fakes.kit.auth import HeaderKey
from atsbridge.fakes.kit.conformance import conformance
from atsbridge.fakes.kit.errors import VendorError, message_only
from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.server import app_factory
from atsbridge.fakes.kit.simulate import create_on, delete_one, pick, simulator, update_one
from atsbridge.fakes.kit.spec import Call, Endpoint, FakeSpec, Hooks
from atsbridge.fakes.kit.state import FakeBase

__all__ = ["PROBE", "SPEC", "FakeState", "conformance_setup", "create_app"]

Raw = dict[str, Any]
SECRET = "taleez_secret"
PROBE = ("/0/recruiters", {"X-taleez-api-secret": SECRET})
EPOCH = 1_700_000_000
FIRST = ("Camille", "Léa", "Hugo", "Manon", "Louis", "Chloé")
LAST = ("Martin", "Bernard", "Dubois", "Moreau", "Laurent")
STEPS = ("Nouveau", "Entretien RH", "Entretien manager", "Embauché")
LABELS = ("Développeur Python", "Chargé de recrutement", "Comptable", "Commercial terrain")


@dataclass
class FakeState(FakeBase):
    jobs: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)  # each with ``_candidate``
    recruiters: dict[str, Raw] = field(default_factory=dict)
    questions: dict[str, list[Raw]] = field(default_factory=dict)  # per job id
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (100, 60.0)
    seq: int = 1000

    def __post_init__(self) -> None:
        limit = FixedWindow(*self.rate, announce=False) if self.rate else None
        FakeBase.__init__(self, HeaderKey(SECRET, "X-taleez-api-secret", ""), limit)

    def next_id(self) -> int:
        self.seq += 1
        return self.seq

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (100, 60.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for i in range(3):
            rid = s.next_id()
            s.recruiters[str(rid)] = {"id": rid, "dateCreation": EPOCH, "mail": f"rh{i}@acme.example",
                                      "firstName": FIRST[i], "lastName": LAST[i], "phone": None, "mailConfirmed": True,
                                      "disabled": False, "role": ("OWNER", "ADMIN", "RECRUITER")[i], "picture": None,
                                      "hardBouncer": False, "companyId": 1}  # fmt: skip
        for _ in range(max(2, records // 10)):
            s.add_job()
        for _ in range(records):
            s.apply(pick(s.rng, s.jobs) or "", {"firstName": s.rng.choice(FIRST), "lastName": s.rng.choice(LAST),
                                                "email": f"c{s.seq}@mail.example"})  # fmt: skip
        return s

    def add_job(self) -> Raw:
        jid = self.next_id()
        job = {"id": jid, "token": f"tk{jid}", "dateCreation": EPOCH + jid, "dateFirstPublish": EPOCH + jid,
               "dateLastPublish": EPOCH + jid, "label": self.rng.choice(LABELS), "profile": "INFORMATIQUE",
               "currentStatus": "PUBLISHED", "contract": self.rng.choice(("CDI", "CDD", "INTERNSHIP")),
               "contractLength": None, "fullTime": True, "workHours": 35, "qualification": None, "remote": False,
               "country": "FRANCE", "city": "Lyon", "postalCode": "69002", "lat": 45.76, "lng": 4.83,
               "recruiterId": int(next(iter(self.recruiters))), "who": None, "logo": None, "banner": None,
               "companyLabel": "Acme", "tags": [], "url": f"https://taleez.com/apply/acme-{jid}",
               "urlApplying": f"https://taleez.com/apply/acme-{jid}/applying", "visibility": "PUBLIC",
               "jobDescription": "<p>Missions</p>", "profileDescription": "<p>Profil</p>",
               "companyDescription": None, "properties": []}  # fmt: skip
        self.jobs[str(jid)] = job
        self.questions[str(jid)] = [
            {"id": jid * 10 + 1, "order": 1, "label": "Disponibilité", "required": False, "type": "SELECT",
             "choices": [{"id": jid * 100 + i, "order": i, "label": label, "category": None, "inCategory": False}
                         for i, label in enumerate(("Immédiate", "1 mois", "3 mois"))]},
            {"id": jid * 10 + 2, "order": 2, "label": "Prétentions salariales", "required": False, "type": "INPUT",
             "choices": []},
        ]  # fmt: skip
        return job

    def apply(self, job_id: str, body: Raw) -> Raw:
        if job_id not in self.jobs:
            raise VendorError(404, f"Job {job_id} not found")
        mail = str(body.get("email") or "")
        if "@" not in mail or not body.get("firstName") or not body.get("lastName"):
            raise VendorError(400, "firstName, lastName and a valid email are required")
        self.check_answers(job_id, body.get("answers") or [])
        cand = next((c for c in self.candidates.values() if c["mail"].lower() == mail.lower()), None)
        if cand is None:
            cid = self.next_id()
            cand = {"id": cid, "firstName": body["firstName"], "lastName": body["lastName"], "mail": mail,
                    "phone": body.get("phone"), "initialReferrer": body.get("initialReferrer") or "API Taleez",
                    "lang": "FR", "socialLinks": {"linkedin": None, "website": None}, "dateCreation": EPOCH + cid,
                    "cv": None, "unitId": None, "properties": [],
                    "location": {"country": "FRANCE", "city": "Lyon", "postalCode": "69002"}}  # fmt: skip
            self.candidates[str(cid)] = cand
        aid = self.next_id()
        self.applications[str(aid)] = {"id": aid, "type": "APPLICATION_TO_A_JOB", "date": (EPOCH + aid) * 1000,
                                       "referer": cand["initialReferrer"], "jobId": int(job_id),
                                       "recruiterId": self.jobs[job_id]["recruiterId"], "currentStepName": STEPS[0],
                                       "rejected": False, "_candidate": str(cand["id"]),
                                       "_answers": body.get("answers") or []}  # fmt: skip
        return {"candidateId": cand["id"], "applicationId": aid}

    def check_answers(self, job_id: str, answers: list[Raw]) -> None:
        known = {q["id"]: q for q in self.questions.get(job_id, [])}
        for a in answers:
            q = known.get(a.get("questionId") if isinstance(a, dict) else None)
            if q is None:
                raise VendorError(400, f"Unknown question {a.get('questionId') if isinstance(a, dict) else a}")
            choices = {c["id"] for c in q["choices"]}
            if choices and not {int(c) for c in a.get("choices") or [] if str(c).isdigit()} <= choices:
                raise VendorError(400, f"Unknown choice for question {q['id']}")

    def delete_candidate(self, cid: str) -> None:
        del self.candidates[cid]
        for aid in [a for a, app in self.applications.items() if app["_candidate"] == cid]:
            del self.applications[aid]


def _page(call: Call[FakeState], rows: list[Raw]) -> Raw:
    """0-based pages, the quirk: ``page=0`` is the first."""
    try:
        page, size = int(call.query.get("page", "0")), int(call.query.get("pageSize", "20"))
    except ValueError:
        raise VendorError(400, "page and pageSize must be integers") from None
    if page < 0 or not 1 <= size <= 200:
        raise VendorError(400, "page must be >= 0 and pageSize between 1 and 200")
    chunk = rows[page * size : (page + 1) * size]
    return {"page": page, "pageSize": size, "listSize": len(chunk), "totalSize": len(rows), "list": chunk,
            "hasMore": (page + 1) * size < len(rows)}  # fmt: skip


def _one(rows: dict[str, Raw], key: str, what: str) -> Raw:
    if key not in rows:
        raise VendorError(404, f"{what} {key} not found")
    return rows[key]


def list_candidates(call: Call[FakeState]) -> Raw:
    mails = {m.lower() for m in call.request.query_params.getlist("mail[]")}
    rows = [c for c in call.fake.candidates.values() if not mails or c["mail"].lower() in mails]
    return _page(call, rows)


def candidate_applications(call: Call[FakeState]) -> list[Raw]:
    cid = str(_one(call.fake.candidates, call.path["id"], "Candidate")["id"])
    return [{k: v for k, v in a.items() if not k.startswith("_")} for a in call.fake.applications.values()
            if a["_candidate"] == cid]  # fmt: skip


def post_application(call: Call[FakeState]) -> Raw:
    return call.fake.apply(call.path["id"], call.json(empty={}) or {})


def _rename(fake: FakeState, cid: str, rnd: random.Random) -> None:
    cand = fake.candidates[cid]
    cand["firstName"] = rnd.choice([n for n in FIRST if n != cand["firstName"]])


def _advance(fake: FakeState, aid: str, rnd: random.Random) -> None:
    app = fake.applications[aid]
    if rnd.random() < 0.3 and not app["rejected"]:
        app["rejected"] = True
    else:
        app["currentStepName"] = rnd.choice([s for s in STEPS if s != app["currentStepName"]])


def _application(fake: FakeState, job: str, rnd: random.Random) -> object:
    made = fake.apply(job, {"firstName": rnd.choice(FIRST), "lastName": "Sim", "email": f"sim{fake.seq}@mail.example"})
    return made["applicationId"]


_edit = update_one(lambda f: f.candidates, _rename, "candidates")
_move = update_one(lambda f: f.applications, _advance, "applications")
_delete = delete_one(lambda f: f.candidates, FakeState.delete_candidate, "candidates")
_apply = create_on(lambda f: f.jobs, _application, "applications")


HOOKS = Hooks(
    lambda f: {
        "jobs": len(f.jobs),
        "candidates": len(f.candidates),
        "applications": len(f.applications),
        "recruiters": len(f.recruiters),
    },  # fmt: skip
    simulator(_edit, _move, _move, _delete, _apply, refused=(VendorError,)),
    lambda f: {"candidates": list(f.candidates), "applications": list(f.applications), "jobs": list(f.jobs)},
    {"candidates": "candidates", "applications": "applications", "jobs": "jobs"},
)
SPEC = FakeSpec(
    name="taleez",
    errors=message_only,
    hooks=HOOKS,
    endpoints=[
        Endpoint("GET", "/0/jobs", lambda call: _page(call, list(call.fake.jobs.values()))),
        Endpoint("GET", "/0/jobs/{id}", lambda call: _one(call.fake.jobs, call.path["id"], "Job")),
        Endpoint("POST", "/0/jobs/{id}/applications", post_application),
        Endpoint(
            "GET",
            "/0/jobs/{id}/questions",
            lambda call: (_one(call.fake.jobs, call.path["id"], "Job"), call.fake.questions[call.path["id"]])[1],
        ),
        Endpoint("GET", "/0/candidates", list_candidates),
        Endpoint("GET", "/0/candidates/{id}", lambda call: _one(call.fake.candidates, call.path["id"], "Candidate")),
        Endpoint("GET", "/0/candidates/{id}/applications", candidate_applications),
        Endpoint("GET", "/0/recruiters", lambda call: _page(call, list(call.fake.recruiters.values()))),
    ],
)


#: ``create_app(seed, records, *, latency, rate_limit, state)``: A fake company with ``records`` applications (or
#: the given ``state`` as is).
create_app = app_factory(SPEC, FakeState.generate, rate_limit=(100, 60.0))


conformance_setup = conformance(lambda base_url: {"base_url": f"{base_url}/0"}, {"api_secret": SECRET})
