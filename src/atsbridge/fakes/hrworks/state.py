"""The fake HR WORKS tenant: posts (with post offers), applicants and their job applications, and the
asynchronous write jobs. Shapes: the vendor's OpenAPI 2.10 models (``payloads/``, see the package docstring).

Write jobs run on their own clock, not on polling: a job is *due* ``job_delay`` seconds after its POST and is
carried out by the first request that arrives after that (``settle``), polled or not — as a vendor's worker
queue would. So a caller that never heard the POST's answer finds the application by listing, and a caller that
polls too early sees ``pending``.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.fakes.kit.auth import SessionLogin
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
BASE = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
STATUSES = {"applied": "Eingegangen", "inProgress": "In Bearbeitung", "documentCreation": "Vertragserstellung",
            "employed": "Eingestellt", "notEmployed": "Abgesagt", "movedToTalentPool": "Talentpool"}  # fmt: skip
OPEN = ("applied", "inProgress", "documentCreation")
FIRST = ("Lena", "Jonas", "Mia", "Felix", "Hannah", "Paul", "Lea", "Elias")
LAST = ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner")
POSTS = ("Softwareentwickler (m/w/d)", "Personalreferent (m/w/d)", "Buchhalter (m/w/d)", "Vertriebsleiter (m/w/d)")
ACCESS_KEY, SECRET_KEY = "hrworks-access-key", "hrworks-secret-access-key"
DEMO_TOKEN = "hrworks-demo-session"


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def api_error(message: str, status: int = 400, kind: str = "invalidRequest") -> Raw:
    """``ApiError`` [conn]: ``{errorCode, type, errorMessage}``."""
    return {"errorCode": status, "type": kind, "errorMessage": message}


@dataclass
class Job:
    due: float
    kind: str  # "applications" | "file"
    request: Any
    answer: Raw | None = None


@dataclass
class FakeState(Seeded):
    posts: dict[str, Raw] = field(default_factory=dict)
    applicants: dict[str, Raw] = field(default_factory=dict)
    applications: dict[str, Raw] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    #: Seconds between a write's POST and the moment its job has run.
    job_delay: float = 0.2
    seq: int = 40_000

    def __post_init__(self) -> None:
        login = SessionLogin("/v2/authentication", {"accessKey": ACCESS_KEY, "secretAccessKey": SECRET_KEY},
                             refused=lambda message: api_error(message, 401, "unauthorized"),
                             demo_token=DEMO_TOKEN)  # fmt: skip
        self.serve(login)

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        state = cls(rng=random.Random(seed), rate=rate)
        for n in range(max(3, records // 10)):
            state._post(n)
        active = [p for p, post in state.posts.items() if post["isActive"]]
        for n in range(records):
            person = state._applicant(n) if n % 6 != 5 or not state.applicants else None
            applicant = person or state.applicants[state.rng.choice(list(state.applicants))]
            status = ("applied", "inProgress", "inProgress", "documentCreation", "employed", "notEmployed",
                      "movedToTalentPool", "applied")[n % 8]  # fmt: skip
            when = BASE + timedelta(days=state.rng.randint(0, 200), minutes=n)
            state._application(applicant["uuid"], state.rng.choice(active), status, when)
        return state

    # ------------------------------------------------------------------------------------------ records
    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _post(self, n: int) -> Raw:
        pid = self.uid()
        offers = [{"id": str(700 + n * 2 + k), "postOfferNameSuffix": ("", " – Remote")[k],
                   "permanentEstablishments": [{"name": "Freiburg", "number": "1"}],
                   "placeOfWorkType": ("Vor Ort", "Remote")[k], "placeOfWorkTypeKey": ("onSite", "remote")[k],
                   "employmentContract": "Unbefristet", "employmentContractKey": "permanent",
                   "careerLevel": "Berufserfahren", "careerLevelKey": "professional",
                   "description": f"<p>{POSTS[n % len(POSTS)]}</p>", "displayName": POSTS[n % len(POSTS)],
                   "jobPortal": "Karriereseite", "priority": k + 1, "publicationDate": "2024-03-01",
                   "validUntilDate": "2024-12-31", "workingTimeModel": "Vollzeit", "workingTimeModelKey": "fullTime",
                   "isActive": n % 4 != 3} for k in range(1 + n % 2)]  # fmt: skip
        self.posts[pid] = {
            "displayName": f"{POSTS[n % len(POSTS)]} #{n}", "name": POSTS[n % len(POSTS)], "key": f"P-{1000 + n}",
            "uuid": pid, "organizationUnitNumber": str(10 + n % 3), "organizationUnitUuid": self.uid(),
            "contactInformation": {"name": "Personalabteilung", "email": "jobs@acme.example", "phone": "+49 761 0"},
            "scopeOfActivities": "Vollzeit", "scopeOfActivitiesKey": "fullTime", "isActive": n % 4 != 3,
            "postImageUrl": f"https://files.hrworks.example/posts/{pid}.png",
            "postDescriptions": {"introduction": "<p>Wir suchen Verstärkung.</p>",
                                 "tasks": "<ul><li>Aufgaben</li></ul>", "profile": "<p>Ihr Profil</p>",
                                 "benefits": "<p>Wir bieten</p>"},
            "postOffers": offers,
            "howDidYouHearAboutUsOptions": {"options": ["Karriereseite", "LinkedIn", "Empfehlung"]},
        }  # fmt: skip
        return self.posts[pid]

    def _applicant(self, n: int, data: Raw | None = None) -> Raw:
        first, last = FIRST[n % len(FIRST)], LAST[(n * 3) % len(LAST)]
        data = data or {}
        found = data.get("address")
        address: Raw = found if isinstance(found, dict) else {}
        applicant = {
            "address": {"additionalData": None, "city": address.get("city", "Freiburg"), "country": "Deutschland",
                        "fax": None, "internationalCountryCode": data.get("countryCode", "DE"),
                        "phone": data.get("phone", f"+49 761 {n:05d}"), "state": address.get("state"),
                        "street": address.get("street", "Kaiser-Joseph-Straße"), "streetNumber": str(n % 200 + 1),
                        "zipCode": address.get("zipCode", "79098")},
            "birthday": None, "earliestPossibleJoinDate": data.get("earliestPossibleJoinDate"),
            "email": data.get("email", f"{first}.{last}.{n}@mail.example".lower()),
            "firstName": data.get("firstName", first), "gender": data.get("gender", ("female", "male")[n % 2]),
            "uuid": self.uid(), "hasNoticePeriod": False, "isActive": True, "isSeverelyDisabled": False,
            "jobApplications": [], "languageCode": "de", "lastAnnualSalary": None,
            "lastName": data.get("lastName", last), "noticePeriodTimeAmount": None, "noticePeriodTimeReference": None,
            "noticePeriodTimeUnit": None, "salutation": data.get("salutation", ("mrs", "mr")[n % 2]),
            "title": data.get("title"), "placeOfBirth": None, "fieldOfStudy": data.get("fieldOfStudy"),
        }  # fmt: skip
        self.applicants[applicant["uuid"]] = applicant
        return applicant

    def _application(
        self, applicant_id: str, post_id: str, status: str, when: datetime, data: Raw | None = None
    ) -> Raw:
        data = data or {}
        aid = self.new_id()
        post = self.posts[post_id]
        offer = data.get("postOfferId") or post["postOffers"][0]["id"]
        self.applications[aid] = {
            "id": aid, "statusIdentifier": status, "postUuid": post_id, "applicant": None,
            "applicationDocuments": list(data.get("applicationDocuments") or []), "creationDateAndTime": iso(when),
            "desiredSalary": data.get("desiredSalary"), "howDidYouHearAboutUs": data.get("howDidYouHearAboutUs",
            "Karriereseite"), "ipAddress": data.get("ipAddress"),
            "mayBePassedWithinCorporateGroup": bool(data.get("mayBePassedWithinCorporateGroup", False)),
            "permissionToStoreApplication": data.get("permissionToStoreApplication", True),
            "postId": post["key"], "postOfferId": str(offer), "remark": data.get("remark"),
            "status": STATUSES[status], "userAgent": data.get("userAgent"),
            "hasPrivacyTermsAccepted": bool(data.get("hasPrivacyTermsAccepted", True)),
        }  # fmt: skip
        self.applicants[applicant_id]["jobApplications"].append({"id": aid, "statusIdentifier": status,
                                                                  "postUuid": post_id})  # fmt: skip
        self._embed(aid, applicant_id)
        return self.applications[aid]

    def _embed(self, aid: str, applicant_id: str) -> None:
        self.applications[aid]["applicant"] = self.applicants[applicant_id]

    def applicant_of(self, aid: str) -> str:
        return str(self.applications[aid]["applicant"]["uuid"])

    # ---------------------------------------------------------------------------------------- mutations
    def set_status(self, aid: str, status: str) -> None:
        app = self.applications[aid]
        app.update(statusIdentifier=status, status=STATUSES[status])
        for base in self.applicants[self.applicant_of(aid)]["jobApplications"]:
            if base["id"] == aid:
                base["statusIdentifier"] = status

    def delete_application(self, aid: str) -> None:
        """Deleted in HR WORKS (or removed after its retention period); an applicant without job applications is
        no longer listed ("Only applicants with job applications are returned")."""
        applicant = self.applicants[self.applicant_of(aid)]
        del self.applications[aid]
        applicant["jobApplications"] = [b for b in applicant["jobApplications"] if b["id"] != aid]
        if not applicant["jobApplications"]:
            del self.applicants[applicant["uuid"]]

    # --------------------------------------------------------------------------------------------- jobs
    def submit(self, kind: str, request: Any) -> str:
        job_id = str(uuid.uuid4())
        self.jobs[job_id] = Job(time.monotonic() + self.job_delay, kind, request)
        return job_id

    def settle(self) -> None:
        """Run every write job that is due (called at the start of each request)."""
        now = time.monotonic()
        for job in self.jobs.values():
            if job.answer is None and job.due <= now:
                job.answer = self._run(job)

    def job(self, job_id: str) -> Raw:
        found = self.jobs.get(job_id)
        if found is None:
            raise VendorError(400, "The submitted jobId is invalid: no matching write request was found.",
                              code="invalidJobId")  # fmt: skip
        if found.answer is None:
            return {"status": "pending"}
        return {"status": "finished", "responseType": "multiWriteRequestResult", "apiResponse": found.answer}

    def _run(self, job: Job) -> Raw:
        results, errors = [], []
        rows = job.request if job.kind == "applications" else [job.request]
        for index, row in enumerate(rows):
            try:
                results.append(self._create(row, index) if job.kind == "applications" else self._attach(row))
            except VendorError as exc:
                errors.append({"index": index, "errorCode": exc.status, "errorMessage": exc.message})
        status = "error" if errors and not results else ("partialSuccess" if errors else "success")
        return {"generalErrors": [], "dataErrors": errors, "status": status, "result": results}

    def _create(self, data: Raw, index: int) -> Raw:
        if not isinstance(data, dict):
            raise VendorError(400, "A job application must be an object.")
        for key in ("postId", "firstName", "lastName", "email"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                raise VendorError(400, f"The field {key} is required.")
        post = next((p for p in self.posts.values() if data["postId"] in (p["uuid"], p["key"])), None)
        if post is None:
            raise VendorError(400, f"No post with the id {data['postId']} exists.")
        if not post["isActive"]:
            raise VendorError(400, f"The post {data['postId']} is not active.")
        email = data["email"].strip().lower()
        person = next((a for a in self.applicants.values() if str(a["email"]).lower() == email), None)
        person = person or self._applicant(len(self.applicants), data)
        app = self._application(person["uuid"], post["uuid"], "applied", datetime.now(UTC), data)
        location = f"/v2/applicant-management/job-applications/{app['id']}"
        return {"errors": [], "warnings": [], "recordId": index, "resourceLocation": location,
                "data": {"id": app["id"]}}  # fmt: skip

    def _attach(self, upload: Raw) -> Raw:
        app = self.applications.get(upload["id"])
        if app is None:
            raise VendorError(404, f"No job application with the id {upload['id']} exists.")
        app["applicationDocuments"].append(upload["fileName"])
        return {"errors": [], "warnings": [], "recordId": 0, "data": {"fileName": upload["fileName"]},
                "resourceLocation": f"/v2/applicant-management/job-applications/{upload['id']}"}  # fmt: skip
