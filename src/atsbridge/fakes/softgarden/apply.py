"""softgarden's Frontend API v3 applicant flow, as the fake serves it (reference §3.4 [doc+conn]).

Under ``/api/rest``:

* ``POST /v3/frontend/applicants`` (client Basic auth; ApplicantDataDTO ``username``, ``email``, ``password``,
  ``firstName``, ``lastName`` [gap: DTO field names beyond username/email/password are not documented]) answers
  204. Refusals, 400 with ``{"code", "message"}`` [doc: codes]: ``password_empty``, ``password invalid`` (the
  policy: at least 10 characters with an upper- and a lower-case letter, a digit and a special character),
  ``invalid_username_address``, ``invalid_mail_address``, ``mail_address_already_exists``,
  ``username_already_exists``.
* ``POST /oauth/frontend/token`` (client Basic auth; form ``grant_type=password&username&password``) answers
  ``{"access_token", "token_type", "expires_in"}``; a wrong login 400 ``{"error": "invalid_grant"}`` (the OAuth2
  shape) [gap: softgarden's exact status for a bad password is not documented].
* With the user token (``Authorization: Bearer``): ``GET /v3/frontend/jobs/{job}/applied`` answers a bare JSON
  ``true``/``false`` [conn: the PHP client reads ``$response[0]`` of the decoded scalar]; ``POST
  /v3/frontend/applications?jobId=`` a bare JSON string, the draft's id [conn] (``jobDbId`` accepted too: the doc
  names that parameter); ``GET /v3/frontend/applications`` the applicant's own applications (``limit`` 20,
  ``offset``) [doc]; ``POST /v3/frontend/applications/{id}`` stores the ApplicationProfileDTO (it replaces the
  stored one [doc]) and ``POST .../{id}/submit`` sends it, both 204.
* Draft refusals [doc]: 400 ``invalid_job_id`` (no such job), 410 (posting deactivated), 400
  ``project_not_applicable`` (an application for this job exists already); 400 ``application_access_error`` for
  another applicant's application.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from atsbridge.fakes.kit.auth import BasicAuth, Principal
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.spec import Call, Endpoint

if TYPE_CHECKING:
    from atsbridge.fakes.softgarden import FakeState

Raw = dict[str, Any]
REST = "/api/rest"
V3 = f"{REST}/v3/frontend"
USERNAME = re.compile(r"^[A-Za-z0-9.\-_+@]{1,250}$")
MAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def policy_ok(password: str) -> bool:
    """softgarden's default password policy [doc]."""
    return (len(password) >= 10 and any(ch.isupper() for ch in password) and any(ch.islower() for ch in password)
            and any(ch.isdigit() for ch in password) and any(not ch.isalnum() for ch in password))  # fmt: skip


@dataclass
class Applicants:
    """Accounts, user tokens and applications (state tests read: ``applications[id]["profile"]``, ``files``)."""

    accounts: dict[str, Raw] = field(default_factory=dict)  # username -> account
    tokens: dict[str, str] = field(default_factory=dict)  # token -> username
    applications: dict[str, Raw] = field(default_factory=dict)
    #: Jobs taken offline: applying answers 410 (they are no longer listed).
    inactive: set[str] = field(default_factory=set)

    def submitted(self) -> list[Raw]:
        return [a for a in self.applications.values() if a["status"] == "SUBMITTED"]


class ClientOrApplicant(BasicAuth):
    """The company's client id as Basic user (client calls), or an applicant's user token as Bearer."""

    def __init__(self, client_id: str, applicants: Applicants) -> None:
        super().__init__(client_id, "")
        self.applicants = applicants

    def check(self, request: Request) -> Principal | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            user = self.applicants.tokens.get(token)
            return Principal("applicant", sub=user) if user else None
        return super().check(request)


def _client(call: Call[FakeState]) -> None:
    if call.principal.sub is not None:
        raise VendorError(403, "This call needs the client's authorization", code="access_denied")


def _applicant(call: Call[FakeState]) -> str:
    if call.principal.sub is None:
        raise VendorError(403, "This call needs a user access token", code="access_denied")
    return call.principal.sub


def create_applicant(call: Call[FakeState]) -> Response:
    _client(call)
    body, people = call.json_object(), call.fake.applicants.accounts
    username, email, password = (str(body.get(k) or "") for k in ("username", "email", "password"))
    if not password:
        raise VendorError(400, "Password is missing", code="password_empty")
    if not policy_ok(password):
        raise VendorError(400, "The password does not match the password policy", code="password invalid")
    if not USERNAME.match(username):
        raise VendorError(400, "Invalid username", code="invalid_username_address")
    if not MAIL.match(email):
        raise VendorError(400, "Invalid email address", code="invalid_mail_address")
    if any(a["email"].lower() == email.lower() for a in people.values()):
        raise VendorError(400, "The email address is already in use", code="mail_address_already_exists")
    if username in people:
        raise VendorError(400, "The username is already in use", code="username_already_exists")
    people[username] = {"username": username, "email": email, "password": password,
                        "firstName": body.get("firstName"), "lastName": body.get("lastName")}  # fmt: skip
    return Response(status_code=204)


def token(call: Call[FakeState]) -> Any:
    _client(call)
    form = {k: v[0] for k, v in parse_qs(call.body.decode(errors="replace")).items()}
    account = call.fake.applicants.accounts.get(form.get("username", ""))
    if form.get("grant_type") != "password" or account is None or account["password"] != form.get("password"):
        return JSONResponse({"error": "invalid_grant", "error_description": "Bad credentials"}, status_code=400)
    issued = secrets.token_hex(16)
    call.fake.applicants.tokens[issued] = account["username"]
    return {"access_token": issued, "token_type": "bearer", "expires_in": 3600, "scope": "frontend_user"}


def _mine(call: Call[FakeState], user: str, job_id: str) -> Raw | None:
    return next((a for a in call.fake.applicants.applications.values()
                 if a["username"] == user and a["jobDbId"] == job_id), None)  # fmt: skip


def applied(call: Call[FakeState]) -> bool:
    found = _mine(call, _applicant(call), call.path["job"])
    return found is not None and found["status"] == "SUBMITTED"


def start(call: Call[FakeState]) -> str:
    user, fake = _applicant(call), call.fake
    job_id = call.query.get("jobId") or call.query.get("jobDbId") or ""
    if job_id in fake.applicants.inactive:
        raise VendorError(410, f"JobPosting inactive for jobId {job_id}", code="job_inactive")
    if job_id not in fake.jobs:
        raise VendorError(400, "Invalid jobId", code="invalid_job_id")
    found = _mine(call, user, job_id)
    if found is not None:
        how = "can not be changed anymore" if found["status"] == "SUBMITTED" else "can be changed though"
        raise VendorError(400, f"Application for this project already exists. The application {how}.",
                          code="project_not_applicable")  # fmt: skip
    app_id = secrets.token_hex(16)
    now = fake.stamp()
    fake.applicants.applications[app_id] = {
        "applicationId": app_id, "jobDbId": job_id, "username": user, "status": "DRAFT",
        "applicationEditable": True, "createdOn": now, "lastChangedOn": now, "profile": None, "files": [],
    }  # fmt: skip
    return app_id


def _owned(call: Call[FakeState]) -> Raw:
    found = call.fake.applicants.applications.get(call.path["id"])
    if found is None or found["username"] != _applicant(call):
        raise VendorError(400, "Application does not exist", code="application_access_error")
    return found


def mine(call: Call[FakeState]) -> list[Raw]:
    user = _applicant(call)
    limit, offset = int(call.query.get("limit") or 20), int(call.query.get("offset") or 0)
    rows = [{k: a[k] for k in ("applicationId", "jobDbId", "status", "applicationEditable", "createdOn",
                               "lastChangedOn")}
            for a in call.fake.applicants.applications.values() if a["username"] == user]  # fmt: skip
    return rows[offset : offset + max(1, min(limit, 100))]


def _files(profile: Raw) -> list[Raw]:
    out = []
    for doc in profile.get("attachments") or []:
        try:
            size = len(base64.b64decode(str(doc.get("binaryData") or ""), validate=True))
        except (binascii.Error, ValueError):
            raise VendorError(400, "Invalid attachment data", code="invalid_attachment") from None
        out.append({"fileName": doc.get("fileName"), "fileType": doc.get("fileType"), "type": doc.get("type"),
                    "size": size})  # fmt: skip
    return out


def save(call: Call[FakeState]) -> None:
    found, profile = _owned(call), call.json()
    if not isinstance(profile, dict):
        raise VendorError(400, "Invalid application data", code="application_access_error")
    if found["status"] != "DRAFT":
        raise VendorError(400, "The application can not be changed anymore", code="application_access_error")
    found.update(profile=profile, files=_files(profile), lastChangedOn=call.fake.stamp())


def submit(call: Call[FakeState]) -> None:
    found = _owned(call)
    if found["status"] != "DRAFT":
        raise VendorError(400, "The application was already submitted", code="application_access_error")
    if found["jobDbId"] not in call.fake.jobs:
        raise VendorError(410, f"JobPosting inactive for jobId {found['jobDbId']}", code="job_inactive")
    found.update(status="SUBMITTED", applicationEditable=False, lastChangedOn=call.fake.stamp())


ENDPOINTS = [
    Endpoint("POST", f"{V3}/applicants", create_applicant),
    Endpoint("POST", f"{REST}/oauth/frontend/token", token),
    Endpoint("GET", f"{V3}/jobs/{{job}}/applied", applied),
    Endpoint("GET", f"{V3}/applications", mine),
    Endpoint("POST", f"{V3}/applications", start),
    Endpoint("POST", f"{V3}/applications/{{id}}", save),
    Endpoint("POST", f"{V3}/applications/{{id}}/submit", submit),
]
