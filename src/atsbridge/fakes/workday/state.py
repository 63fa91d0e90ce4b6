"""The fake Workday tenant: job requisitions and candidates with their job applications, rendered in the
shapes of Workday's v45.2 samples (``payloads/``; requisitions field by field from the reference, no sample).

Timestamps follow the wall clock (strictly increasing by a microsecond), so ``Updated_From`` filters behave as
on a live tenant. A missing security domain (``hidden``) drops elements silently, as Workday does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.ratelimit import FixedWindow
from atsbridge.fakes.kit.soap import WsSecurityAuth
from atsbridge.fakes.kit.state import FakeBase

Raw = dict[str, Any]
STAGES = ("Review", "Screen", "Assessment", "Interview", "Reference_Check", "Offer", "Employment_Agreement",
          "Background_Check", "Ready_for_Hire")  # fmt: skip
DISPOSITIONS = (("Not_Qualified", "Not Qualified"), ("Position_Filled", "Position Filled"),
                ("Candidate_Withdrew", "Candidate Withdrew"))  # fmt: skip
FIRST = ("Ada", "Grace", "Linus", "Margaret", "Alan", "Barbara", "Ken", "Frances", "Dennis", "Radia")
LAST = ("Lovelace", "Hopper", "Torvalds", "Hamilton", "Turing", "Liskov", "Thompson", "Allen", "Ritchie")
TITLES = ("Software Engineer", "Payroll Specialist", "Nurse", "Store Manager", "Data Analyst", "Recruiter")
CITIES = (("Pleasanton", "US"), ("Dublin", "IE"), ("Toronto", "CA"), ("Munich", "DE"))


def ref(descriptor: str | None, **ids: str) -> Raw:
    """``<X_Reference Descriptor><ID type=k>v</ID>...``."""
    out: Raw = {"@Descriptor": descriptor} if descriptor else {}
    out["ID"] = [{"@type": k.replace("__", "-"), "#text": v} for k, v in ids.items()]
    return out


def wd_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+00:00"


@dataclass
class FakeState(FakeBase):
    tenant: str = "acme"
    requisitions: dict[str, Raw] = field(default_factory=dict)
    candidates: dict[str, Raw] = field(default_factory=dict)
    workers: dict[str, Raw] = field(default_factory=dict)
    #: security domains the ISU lacks ("Candidate Data: Personal Information", "Candidate Data: Job Application").
    hidden: set[str] = field(default_factory=set)
    rng: random.Random = field(default_factory=random.Random)
    rate: tuple[int, float] | None = (10, 1.0)
    seq: int = 0
    _clock: datetime = field(default_factory=lambda: datetime(2020, 1, 1, tzinfo=UTC))

    def __post_init__(self) -> None:
        auth = WsSecurityAuth(f"wd_isu@{self.tenant}", "wd_password", client=("wd_client", "wd_secret"),
                              refresh_token="wd_refresh", token_path=f"/ccx/oauth2/{self.tenant}/token")  # fmt: skip
        FakeBase.__init__(self, auth, FixedWindow(*self.rate) if self.rate else None)

    def now(self) -> datetime:
        self._clock = max(datetime.now(UTC), self._clock + timedelta(microseconds=1))
        return self._clock

    def next_id(self, prefix: str) -> str:
        self.seq += 1
        return f"{prefix}-{self.seq:05d}"

    def wid(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    # ------------------------------------------------------------------------------------------ records
    def open_requisition(self, title: str | None = None) -> Raw:
        rid = self.next_id("JR")
        city, country = self.rng.choice(CITIES)
        req = {"id": rid, "wid": self.wid(), "title": title or self.rng.choice(TITLES), "status": "Open",
               "location": f"{city}, {country}", "updated": self.now(),
               "positions": self.rng.randint(1, 3)}  # fmt: skip
        self.requisitions[rid] = req
        return req

    def hire_worker(self, first: str, last: str) -> Raw:
        wid = self.next_id("E")
        worker = {"id": wid, "wid": self.wid(), "first": first, "last": last, "active": True, "updated": self.now(),
                  "email": f"{first}.{last}.{wid}@acme.example".lower()}  # fmt: skip
        self.workers[wid] = worker
        return worker

    def render_worker(self, worker: Raw) -> Raw:
        """``Get_Workers`` (Human_Resources): the WWS ``Worker_Data`` convention [no sample here]."""
        usage = {"Type_Data": {"Type_Reference": ref("Work", Communication_Usage_Type_ID="WORK")}}
        person = {"Name_Data": {"Legal_Name_Data": {"Name_Detail_Data": {"First_Name": worker["first"],
                                                                       "Last_Name": worker["last"]}}},
                  "Contact_Data": {"Email_Address_Data": {"Email_Address": worker["email"], "Usage_Data": usage}}}
        if "Person Data: Name" in self.hidden:
            del person["Name_Data"]
        data = {"Worker_ID": worker["id"], "User_ID": worker["email"], "Personal_Data": person,
                "Employment_Data": {"Worker_Status_Data": {"Active": "1" if worker["active"] else "0"}}}
        name = f"{worker['first']} {worker['last']}"
        return {"Worker_Reference": ref(name, WID=worker["wid"], Employee_ID=worker["id"]), "Worker_Data": data}

    def add_candidate(self, first: str, last: str, email: str, req_id: str | None, *,
                      phone: str | None = None) -> Raw:  # fmt: skip
        cid = self.next_id("C")
        city, country = self.rng.choice(CITIES)
        cand = {"id": cid, "wid": self.wid(), "first": first, "last": last, "email": email,
                "phone": phone or f"+1 555 {self.rng.randrange(1000, 9999)}", "city": city, "country": country,
                "withdrawn": False, "worker": None, "apps": [], "updated": self.now()}  # fmt: skip
        self.candidates[cid] = cand
        if req_id:
            self.apply(cand, req_id)
        return cand

    def apply(self, cand: Raw, req_id: str) -> Raw:
        moment = self.now()
        app = {"id": self.next_id("JA"), "wid": self.wid(), "req": req_id, "stage": "Review", "step": None,
               "disposition": None, "applied": moment, "status_ts": moment}  # fmt: skip
        cand["apps"].append(app)
        cand["updated"] = moment
        return app

    def touch(self, cand: Raw, app: Raw | None = None, **changes: Any) -> None:
        moment = self.now()
        (app if app is not None else cand).update(changes)
        if app is not None:
            app["status_ts"] = moment
        cand["updated"] = moment

    def find_app(self, app_id: str) -> tuple[Raw, Raw] | None:
        for cand in self.candidates.values():
            for app in cand["apps"]:
                if app["id"] == app_id:
                    return cand, app
        return None

    # ------------------------------------------------------------------------------------------ shapes
    def render_candidate(self, cand: Raw) -> Raw:
        data: Raw = {"Candidate_ID": cand["id"]}
        if cand["worker"]:
            data["Worker_Reference"] = ref(f"{cand['first']} {cand['last']}", Employee_ID=cand["worker"])
        if "Candidate Data: Personal Information" not in self.hidden:
            full = f"{cand['first']} {cand['last']}"
            name = {"Full_Name": full, "First_Name": cand["first"], "Last_Name": cand["last"]}
            data["Name_Data"] = {"Legal_Name": {"Name_Detail_Data": name}}
            country = ref(cand["country"], **{"ISO_3166-1_Alpha-2_Code": cand["country"]})
            data["Contact_Data"] = {"Phone_Number": cand["phone"], "Email_Address": cand["email"],
                                    "Location_Data": {"Country_Reference": country, "City": cand["city"]}}  # fmt: skip
        data["Status_Data"] = {"Do_Not_Hire": "0", "Withdrawn": "1" if cand["withdrawn"] else "0"}
        if "Candidate Data: Job Application" not in self.hidden and cand["apps"]:
            data["Job_Application_Data"] = [self._application(a) for a in cand["apps"]]
        return {"Candidate_Reference": ref(f"{cand['first']} {cand['last']}", WID=cand["wid"], Candidate_ID=cand["id"]),
                "Candidate_Data": data}  # fmt: skip

    def _application(self, app: Raw) -> Raw:
        req = self.requisitions.get(app["req"]) or {"title": None, "wid": ""}
        applied: Raw = {
            "Job_Application_ID": app["id"],
            "Job_Requisition_Reference": ref(req["title"], WID=req["wid"], Job_Requisition_ID=app["req"]),
            "Job_Application_Date": wd_time(app["applied"]),
            "Stage_Reference": ref(app["stage"].replace("_", " "), Recruiting_Stage_ID=app["stage"]),
        }
        if app["step"]:
            applied["Workflow_Step_Reference"] = ref(None, Workflow_Step_ID=app["step"])
        if app["disposition"]:
            name = dict(DISPOSITIONS).get(app["disposition"], app["disposition"])
            applied["Disposition_Reference"] = ref(name, Applicant_Disposition_ID=app["disposition"])
        applied["Status_Timestamp"] = wd_time(app["status_ts"])
        applied["Source_Reference"] = ref("Careers Site", Applicant_Source_ID="Careers_Site")
        return {"Job_Application_Reference": ref(None, WID=app["wid"], Job_Application_ID=app["id"]),
                "Job_Applied_To_Data": applied}  # fmt: skip

    def render_requisition(self, req: Raw) -> Raw:
        data = {
            "Job_Requisition_ID": req["id"],
            "Job_Requisition_Status_Reference": ref(req["status"], Job_Requisition_Status_ID=req["status"]),
            "Job_Requisition_Detail_Data": {"Job_Posting_Title": req["title"], "Positions_Allocated": req["positions"],
                                            "Positions_Available": req["positions"],
                                            "Job_Description": f"<p>{req['title']} wanted.</p>",
                                            "Confidential_Job_Requisition": "0"},
            "Hiring_Requirement_Data": {"Recruiting_Start_Date": "2024-01-08-08:00",
                                        "Primary_Location_Reference": ref(req["location"], Location_ID=req["location"]),
                                        "Time_Type_Reference": ref("Full time", Position_Time_Type_ID="Full_time")},
            "Supervisory_Organization_Reference": ref("Talent Acquisition", Organization_Reference_ID="SUP_TA"),
        }  # fmt: skip
        out: Raw = {"Job_Requisition_Reference": ref(req["title"], WID=req["wid"], Job_Requisition_ID=req["id"])}
        if "Job Requisition Data" not in self.hidden:
            out["Job_Requisition_Data"] = data
        return out

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        rnd = state.rng
        reqs = [state.open_requisition() for _ in range(max(2, records // 10))]
        for _ in range(max(3, records // 10)):
            state.hire_worker(rnd.choice(FIRST), rnd.choice(LAST))
        for i in range(max(3, records // 2)):
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            cand = state.add_candidate(first, last, f"{first}.{last}.{i}@example.com".lower(), rnd.choice(reqs)["id"])
            if rnd.random() < 0.3:
                state.apply(cand, rnd.choice(reqs)["id"])
            for app in cand["apps"]:
                app["stage"] = rnd.choice(STAGES[:-1])
                if rnd.random() < 0.2:
                    app["disposition"] = rnd.choice(DISPOSITIONS)[0]
        return state
