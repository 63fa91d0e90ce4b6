"""The fake eRecruiter tenant: one mandator, its users, jobs (published per channel), applicants, applications,
documents and history entries, shaped after the vendor's .NET client classes [doc], with its token login."""

from __future__ import annotations

import base64
import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.fakes.kit.auth import Auth, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.seeded import Seeded

Raw = dict[str, Any]
KEY, MANDATOR = "erecruiter_key", 42
#: A token issued before any test runs (generic tests authenticate with it: ``PROBE``).
PROBE_TOKEN = "erecruiter_probe_token"
CHANNELS = ("Homepage", "karriere.at")
FIRST = ("Anna", "Lukas", "Sophie", "Maximilian", "Lena", "Tobias", "Julia", "David")
LAST = ("Gruber", "Huber", "Bauer", "Wagner", "Müller", "Pichler", "Steiner", "Moser")
TITLES = ("Buchhalter/in", "Pflegefachkraft", "Software-Entwickler/in", "Sozialarbeiter/in", "Lehrling Einzelhandel")
#: (status name, WorkflowStatusGroup number): the customer's workflow (None=0, New=1, Internal=2, Proposed=3,
#: External=4, Rejected=5, Accepted=6) [doc enum].
WORKFLOW = (("Neu", 1), ("In Prüfung", 2), ("Vorgeschlagen", 3), ("Interview", 4), ("Absage", 5), ("Zusage", 6))
EPOCH = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def ts(when: datetime) -> str:
    """.NET ``DateTime`` as JSON.NET writes it with an offset (like the recorded ``Expires``)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f0+00:00")


class TokenAuth(Auth):
    """``POST /Api/`` ``{Key, MandatorId, ClientInfo}`` -> ``{Token, Expires}``; then ``X-ApiToken`` [doc]. A wrong
    key or mandator answers 401 ``{"Message"}`` (Web API's default error body) [gap: status unrecorded]."""

    def __init__(self, key: str, mandator: int, ttl: float = 3600.0) -> None:
        self.key, self.mandator, self.ttl = key, mandator, ttl
        self.tokens: dict[str, float] = {PROBE_TOKEN: float("inf")}
        self.logins = 0

    def check(self, request: Request) -> Principal | None:
        token = request.headers.get("x-apitoken", "")
        expires = self.tokens.get(token)
        return Principal("api") if expires is not None and expires > time.time() else None

    async def _login(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if (
            not isinstance(body, dict)
            or body.get("Key") != self.key
            or str(body.get("MandatorId")) != str(self.mandator)
        ):
            return JSONResponse({"Message": "Authorization has been denied for this request."}, status_code=401)
        token = secrets.token_hex(16)
        self.tokens[token] = time.time() + self.ttl
        self.logins += 1
        expires = datetime.now(UTC) + timedelta(seconds=self.ttl)
        return JSONResponse({"Token": token, "Expires": ts(expires)})

    def expire_tokens(self) -> None:
        self.tokens = {t: e for t, e in self.tokens.items() if t == PROBE_TOKEN}

    def routes(self) -> list[Route]:
        return [Route("/Api/", self._login, methods=["POST"]), Route("/Api", self._login, methods=["POST"])]

    def describe(self) -> dict[str, str]:
        return {"Key": self.key, "MandatorId": str(self.mandator), "header": "X-ApiToken"}


@dataclass
class FakeState(Seeded):
    users: dict[int, Raw] = field(default_factory=dict)
    jobs: dict[int, Raw] = field(default_factory=dict)
    applicants: dict[int, Raw] = field(default_factory=dict)
    applications: dict[int, Raw] = field(default_factory=dict)
    documents: dict[int, Raw] = field(default_factory=dict)  # each with ``_applicant`` and ``_content``
    cvs: dict[int, Raw] = field(default_factory=dict)
    history: dict[int, list[Raw]] = field(default_factory=dict)
    seq: int = 1000
    TICK = 1.0

    def __post_init__(self) -> None:
        self.serve(TokenAuth(KEY, MANDATOR), announce=True)
        self.mandator: Raw = {
            "Id": MANDATOR, "Name": "Acme Sozialdienste", "Cultures": ["de-AT", "en-US"], "Urls": [],
            "JobPublicationTypes": [_publication(c) for c in CHANNELS], "ApplicantDocumentTypes": ["CV", "Other"],
            "JobProfiles": ["IT", "Pflege", "Verwaltung"], "Referrers": [{"Name": "Homepage", "CultureFilter": [],
            "Group": "Online", "AllowsAdditionalInfo": False, "IsInternalOnly": False}],
        }  # fmt: skip

    def next_id(self) -> int:
        return self.serial()

    def now(self) -> datetime:
        return self.tick()

    @classmethod
    def generate(cls, seed: int = 1, records: int = 200, rate: tuple[int, float] | None = (10, 1.0)) -> FakeState:
        s = cls(rng=random.Random(seed), rate=rate)
        for i in range(3):
            uid = s.next_id()
            s.users[uid] = {"Id": uid, "FirstName": FIRST[i], "LastName": LAST[i], "IsEnabled": i != 2,
                            "UserName": f"{FIRST[i].lower()}@acme.example"}  # fmt: skip
        for n in range(max(3, records // 8)):
            s.add_job(n, channels=CHANNELS[: 1 + n % 2])
        s.add_job(99, channels=(), status=1)  # a draft: published nowhere, so the API lists it nowhere
        published = [j for j, job in s.jobs.items() if job["PublishedOn"]]
        for n in range(records):
            applicant = s.add_applicant({"FirstName": FIRST[n % len(FIRST)], "LastName": LAST[(n * 3) % len(LAST)],
                                         "Email": f"bewerber{n}@mail.example"}, EPOCH + timedelta(hours=n))  # fmt: skip
            for job in s.rng.sample(published, 1 + (n % 5 == 0)):
                app = s.apply(applicant["Id"], job)
                app["Status"], app["WorkflowStatusGroup"] = s.rng.choice(WORKFLOW)
            if n % 3 == 0:
                s.add_document(applicant["Id"], f"Zeugnis {n}", ".pdf", "Other", b"%PDF-1.4 fake certificate")
            if n % 4 == 1:
                applicant["Tags"] = ["Talentpool"] + (["Top"] if n % 8 == 1 else [])
        return s

    def add_job(self, n: int, channels: tuple[str, ...], status: int = 0) -> Raw:
        jid = self.next_id()
        user = self.users[min(self.users)]
        when = EPOCH - timedelta(days=30 - n)
        self.jobs[jid] = {
            "Id": jid, "MandatorId": MANDATOR, "InternalName": f"{TITLES[n % len(TITLES)]} #{n}",
            "InternalLocation": "Wien", "Status": status, "Latitude": 48.2, "Longitude": 16.37,
            "UserFirstName": user["FirstName"], "UserLastName": user["LastName"], "UserTitleBeforeName": None,
            "UserTitleAfterName": None, "UserFullName": f"{user['FirstName']} {user['LastName']}", "UserGender": 2,
            "UserPhone": None, "UserEmail": user["UserName"], "CreationDate": ts(when), "UpdateDate": ts(when),
            "OnlineDate": ts(when), "OnlineDateCorrected": ts(when), "JobProfiles": ["Verwaltung"],
            "ExtendedJobProfiles": [], "Regions": ["Wien"], "CustomFields": [], "OccupationTypes": ["Vollzeit"],
            "CareerLevels": ["Berufserfahrung"], "Tags": [],
            "PublishedOn": [{**_publication(c), "PublicationDate": ts(when), "JobAdUrl":
                             f"https://jobs.acme.example/{jid}", "ApplyUrl": f"https://jobs.acme.example/{jid}/apply"}
                            for c in channels],
            "AvailableCultures": ["de-AT"], "Channels": None, "CompanyPictureContent": None,
            "CompanyPictureFileExtension": None, "Culture": "de-AT", "Html": f"<h1>{TITLES[n % len(TITLES)]}</h1>",
            "Title": TITLES[n % len(TITLES)], "SubTitle": None, "Location": "Wien", "CompanyDescription": None,
            "Block1": None, "Block2": None, "Block3": None, "Block4": None, "HeaderBlock1": None,
            "HeaderBlock2": None, "HeaderBlock3": None, "HeaderBlock4": None, "TemplateName": "Standard",
            "HasQuestionnaire": False, "GoogleForJobs": None, "ExpirationDate": None, "GeoLocation": None,
            "CompanyLocation": None, "GeoLocationName": "Wien", "CompanyLocationName": None, "SocialMedia": None,
            "CustomerId": 0, "CustomerName": None, "UserAddress": None, "UserZipCode": None, "UserCity": None,
            "CammioPitchHash": None, "IndeedApplyWidgetUrl": None,
        }  # fmt: skip
        return self.jobs[jid]

    def add_applicant(self, body: Raw, when: datetime) -> Raw:
        aid = self.next_id()
        person: Raw = {k: None for k in APPLICANT_FIELDS}
        person.update(Id=aid, DateOfCreation=ts(when), DateOfUpdateByUser=ts(when), DateOfUpdateByApplicant=ts(when),
                      Gender=0, GenderIdentity=0, IsActive=True, IsLocked=False, EnableNewsletter=False,
                      EnableMatchingJobsAutoMail=False, Tags=[], JobProfiles=[], Regions=[], Culture="de-AT",
                      HasCv=False, HasPhoto=False, HasApplicationsVisibleToApplicant=True, DocumentsCount=0,
                      ActivitiesCount=0, ExperiencesCount=0, EducationsCount=0, CertificatesCount=0,
                      LanguagesCount=0, PublicationsCount=0, ThirdPartyProfiles=[], City="Wien",
                      Country="Österreich")  # fmt: skip
        person.update({k: v for k, v in body.items() if k in APPLICANT_FIELDS and k not in ("Id",)})
        self.applicants[aid] = person
        self.history[aid] = []
        return person

    def applicant(self, aid: Any) -> Raw:
        found = self.applicants.get(int(aid)) if str(aid).isdigit() else None
        if found is None:
            raise VendorError(404, "The applicant does not exist.")
        return found

    def apply(self, applicant: int, job: int) -> Raw:
        app_id = self.next_id()
        self.applications[app_id] = {
            "Id": app_id, "ApplicantId": applicant, "JobId": job, "Status": WORKFLOW[0][0],
            "StatusForApplicant": "Eingelangt", "StatusForContact": None, "IsVisibleToApplicant": True,
            "IsVisibleToContact": False, "Referrer": "Homepage", "ReferrerAdditionalInfo": None,
            "AvailableActivities": [{"Name": "Absagen", "NameForApplicant": None, "NameForContact": None,
                                     "IsVisibleToApplicant": False, "AvailableToContact": 0}],
            "WorkflowStatusGroup": WORKFLOW[0][1], "Rating": None,
        }  # fmt: skip
        return self.applications[app_id]

    def add_document(self, applicant: int, name: str, ext: str, kind: str, content: bytes) -> Raw:
        did = self.next_id()
        self.documents[did] = {"Id": did, "Name": name, "FileExtension": ext, "Type": kind, "Content": None,
                               "IsPublic": False, "_applicant": applicant, "_content": content}  # fmt: skip
        self.applicant(applicant)["DocumentsCount"] += 1
        return self.documents[did]

    def touch(self, aid: int) -> None:
        self.applicant(aid)["DateOfUpdateByUser"] = ts(self.now())

    def delete_applicant(self, aid: int) -> None:
        del self.applicants[aid]
        self.history.pop(aid, None)
        self.cvs.pop(aid, None)
        for app in [k for k, a in self.applications.items() if a["ApplicantId"] == aid]:
            del self.applications[app]
        for doc in [k for k, d in self.documents.items() if d["_applicant"] == aid]:
            del self.documents[doc]

    def published(self) -> set[int]:
        return {j for j, job in self.jobs.items() if job["PublishedOn"]}

    def reachable(self) -> set[int]:
        """Applicants the API can reach: those with an application on a published job (``ByJob``)."""
        jobs = self.published()
        return {a["ApplicantId"] for a in self.applications.values() if a["JobId"] in jobs}


def _publication(channel: str) -> Raw:
    return {"Name": channel, "InternalName": channel.lower(), "Partner": None, "Account": None, "Channel": None,
            "PublicationDate": ts(EPOCH), "ExpirationDate": None, "Type": 0, "JobAdUrl": None,
            "ApplyUrl": None}  # fmt: skip


#: ``ApplicantParameter``'s properties [doc] (what ``PUT``/``POST Api/Applicant`` take).
APPLICANT_FIELDS = (
    "Id", "DateOfCreation", "GlobalId", "ExternalId", "FirstName", "LastName", "Email", "Gender", "GenderIdentity",
    "TitleBeforeName", "TitleAfterName", "BirthDate", "Street", "City", "ZipCode", "Country", "Citizenship", "Phone",
    "MobilePhone", "Url", "IsActive", "IsLocked", "EnableNewsletter", "EnableMatchingJobsAutoMail", "Tags",
    "JobProfiles", "Regions", "CareerLevel", "Location", "Salary", "SalaryNotes", "SalaryCurrency", "SalaryPeriod",
    "DomesticTravelling", "AbroadTravelling", "EarliestPossibleBeginDate", "PhoneTime", "MilitaryService",
    "MilitaryServiceStart", "MilitaryServiceEnd", "MilitaryServiceReliefReason", "IsWillingToMove",
    "IsInterestedInInternship", "IsInterestedInFulltime", "IsInterestedInFreelancer", "IsInterestedInPartTime",
    "OvertimeHours", "PartTimeHours", "Referrer", "ReferrerAdditionalInfo", "Classification", "ClassificationReason",
    "ImportantInfo", "SelfDescription", "JobDescription", "Culture", "MaximumDistanceToJobLocation",
    "PolicyAcceptedAt",
)  # fmt: skip


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()
