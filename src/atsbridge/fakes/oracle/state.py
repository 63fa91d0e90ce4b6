"""The fake Oracle tenant: the phase/state catalogue, requisitions, candidates, job applications, and the
mutations tests, ``simulate`` and the move action make. Shapes: see the package docstring."""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.auth import BasicAuth
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
BASE = datetime(2024, 4, 1, tzinfo=UTC)
FIRST = ("Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances")
LAST = ("Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Hamilton")
#: (phase code, name, [(state code, state name)]): the seeded Candidate Selection Process ([3p] codes).
PROCESS = (
    ("NEW", "New", [("TO_BE_REVIEWED", "To Be Reviewed"), ("REVIEWED", "Reviewed")]),
    ("SCREENING", "Screening", [("TO_BE_REVIEWED", "To Be Reviewed"), ("REJECTED_EMPLOYER", "Rejected by Employer"),
                                ("WITHDRAWN_BY_CANDIDATE", "Withdrawn by Candidate")]),
    ("INTERVIEW_AND_SELECTION", "Interview and Selection",
     [("SCHEDULED", "Interview Scheduled"), ("SELECTED_FOR_OFFER", "Selected for Offer"),
      ("REJECTED_EMPLOYER", "Rejected after Interview")]),
    ("OFFER", "Offer", [("OFFER_APPROVED", "Offer Approved")]),
    ("HR", "HR", [("HIRED", "Processed")]),
)  # fmt: skip


def stamp(ts: datetime) -> str:
    """ADF's timestamp form: ``2024-04-01T10:00:00.123+00:00``."""
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}+00:00"


@dataclass
class FakeState(Seeded):
    user: str = "orc.integration"
    password: str = "orc_password"
    phases: dict[str, Raw] = field(default_factory=dict)
    requisitions: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    rate: tuple[int, float] | None = (20, 1.0)
    next_id: int = 300000049043000
    pages_served: int = 0
    simulated: set[str] = field(default_factory=set)  # candidates ``simulate`` created
    attachments: dict[str, list[Raw]] = field(default_factory=dict)  # PersonId -> attachment rows
    offers: dict[str, Raw] = field(default_factory=dict)
    denied: set[str] = field(default_factory=set)  # resources the user has no privilege for (403)

    def __post_init__(self) -> None:
        self.serve(BasicAuth(self.user, self.password, realm="Oracle Fusion"))

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (20, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for order, (code, name, states) in enumerate(PROCESS):
            pid = state.uid()
            items = [{"StateId": state.uid(), "StateCode": c, "StateName": n, "PhaseId": pid} for c, n in states]
            state.phases[str(pid)] = {"PhaseId": pid, "PhaseCode": code, "PhaseName": name, "PhaseOrder": order,
                                 "ProcessId": 300000000000001, "States": items}  # fmt: skip
        for n in range(max(3, records // 6)):
            rid, when = state.uid(), stamp(BASE + timedelta(days=n))
            state.requisitions[str(rid)] = {
                "RequisitionId": rid, "RequisitionNumber": f"REQ-{n:05d}", "Title": f"Job {n}",
                "RecruitingType": "ORA_REGULAR", "HiringManagerId": 300000000001000 + n % 3,
                "RecruiterId": 300000000002000 + n % 2, "PrimaryLocationId": 300000000003000 + n % 4,
                "NumberOfOpenings": 1 + n % 3, "UnlimitedOpenings": False, "PhaseId": 300000000004001,
                "StateId": 300000000004011, "CreationDate": when, "LastUpdateDate": when}  # fmt: skip
        for n in range(records):
            req = state.rng.choice(list(state.requisitions.values()))
            state.add(n, req, BASE + timedelta(days=state.rng.randint(0, 400), minutes=n))
        return state

    def uid(self) -> int:
        self.next_id += state_step(self.rng)
        return self.next_id

    def stages(self) -> list[tuple[Raw, Raw]]:
        return [(p, s) for p in self.phases.values() for s in p["States"]]

    def add(self, n: int, req: Raw, when: datetime, email: str | None = None) -> Raw:
        first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
        email = email or f"{first}.{last}.{n}@mail.example".lower()
        cand = next((c for c in self.candidates.values() if c["Email"] == email), None)
        if cand is None:
            pid = self.uid()
            cand = {"PersonId": pid, "CandidateNumber": f"CAND-{pid}", "FirstName": first, "LastName": last,
                    "Email": email, "PhoneNumber": f"+1 650 555 {n:04d}" if n % 2 else None,
                    "CreationDate": stamp(when), "LastUpdateDate": stamp(when)}  # fmt: skip
            self.candidates[str(pid)] = cand
        phase, st = self.rng.choice(self.stages())
        app: Raw = {"JobApplicationId": self.uid(), "CandidatePersonId": cand["PersonId"],
                    "CandidateName": f"{cand['FirstName']} {cand['LastName']}",
                    "RequisitionId": req["RequisitionId"], "RequisitionNumber": req["RequisitionNumber"],
                    "DisqualifiedFlag": "N", "ConfirmedFlag": "Y", "JobApplicationDate": stamp(when),
                    "CreationDate": stamp(when), "LastUpdateDate": stamp(when), "LastModifiedDate": stamp(when),
                    "InternalFlag": "N", "SiteNumber": "CX_1", "HiringManagerId": req["HiringManagerId"],
                    "RecruiterId": req["RecruiterId"], "ProcessId": phase["ProcessId"]}  # fmt: skip
        self._place(app, phase, st)
        self.applications[str(app["JobApplicationId"])] = app
        if phase["PhaseCode"] in ("OFFER", "HR"):
            oid = self.uid()
            code = "ACCEPTED" if phase["PhaseCode"] == "HR" else "EXTENDED"
            self.offers[str(oid)] = {"OfferId": oid, "JobApplicationId": app["JobApplicationId"], "StateCode": code,
                                     "StateName": code.capitalize(), "PlannedStartDate": stamp(when + timedelta(30)),
                                     "CreationDate": stamp(when), "LastUpdateDate": stamp(when)}  # fmt: skip
        return app

    @staticmethod
    def _place(app: Raw, phase: Raw, st: Raw) -> None:
        app.update(
            PhaseId=phase["PhaseId"],
            PhaseName=phase["PhaseName"],
            StateId=st["StateId"],
            StateName=st["StateName"],
            PublicStateName=st["StateName"],
        )

    # ------------------------------------------------------------------------------------- mutations
    def now(self) -> str:
        return stamp(self.tick())

    def edit_candidate(self, pid: str, **changes: Any) -> Raw:
        with self.lock:
            self.candidates[pid].update(changes, LastUpdateDate=self.now())
            return self.candidates[pid]

    def move(self, app_id: str, body: Raw) -> Raw:
        """``action/move``: both ids required, the state must belong to the phase (Oracle's checks)."""
        with self.lock:
            app = self.applications.get(app_id)
            if app is None:
                raise VendorError(404, f"The job application {app_id} was not found.")
            phase = self.phases.get(str(body.get("phaseId")))
            st = next((s for s in (phase or {}).get("States", []) if str(s["StateId"]) == str(body.get("stateId"))),
                      None)  # fmt: skip
            if phase is None or st is None:
                raise VendorError(400, "The phase and state combination isn't valid for this job application.")
            self._place(app, phase, st)
            stamped = self.now()
            app.update(LastUpdateDate=stamped, LastModifiedDate=stamped)
            if body.get("comments"):
                app.setdefault("_comments", []).append(str(body["comments"]))
            return app

    def attach(self, pid: str, body: Raw) -> Raw:
        """A candidate attachment: ``FILE`` needs a file name and base64 contents, ``WEB_PAGE`` a URL."""
        with self.lock:
            kind = body.get("DatatypeCode") or "FILE"
            row: Raw = {"AttachedDocumentId": self.uid(), "DatatypeCode": kind,
                        "CategoryName": body.get("CategoryName") or "MISC", "Title": body.get("Title"),
                        "Description": body.get("Description"), "CreationDate": self.now()}  # fmt: skip
            if kind == "WEB_PAGE":
                if not str(body.get("Url") or "").startswith(("http://", "https://")):
                    raise VendorError(400, "The attribute Url is missing or not valid.")
                row["Url"] = body["Url"]
            elif kind == "FILE":
                if not body.get("FileName") or not isinstance(body.get("FileContents"), str):
                    raise VendorError(400, "The attribute FileName or FileContents is missing or not valid.")
                try:
                    size = len(base64.b64decode(body["FileContents"], validate=True))
                except ValueError:
                    raise VendorError(400, "FileContents is not valid base64.") from None
                row.update(FileName=body["FileName"], UploadedFileLength=size,
                           UploadedFileContentType=body.get("UploadedFileContentType"))  # fmt: skip
            else:
                raise VendorError(400, f"The value {kind} of the attribute DatatypeCode is not valid.")
            self.attachments.setdefault(pid, []).append(row)
            return row

    def delete_candidate(self, pid: str) -> None:
        with self.lock:
            self.candidates.pop(pid)
            self.attachments.pop(pid, None)
            for aid in [a for a, app in self.applications.items() if str(app["CandidatePersonId"]) == pid]:
                self.applications.pop(aid)
                for oid in [o for o, offer in self.offers.items() if str(offer["JobApplicationId"]) == aid]:
                    self.offers.pop(oid)


def state_step(rng: random.Random) -> int:
    """Ids grow by a few: Fusion surrogate keys are sparse, 15 digits."""
    return rng.randint(1, 9)
