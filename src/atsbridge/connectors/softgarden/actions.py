"""Apply through the Frontend API v3 applicant-account flow (reference §3.4 [doc+conn]), create-once.

Softgarden's rule is "no application without applicant account": atsbridge makes (or reuses) the candidate's
applicant account and applies *as* that applicant, six calls:

1. ``POST /v3/frontend/applicants`` (client Basic auth; 204), through ``call.once_id("applicant")``. An address
   softgarden already knows (``mail_address_already_exists``/``username_already_exists``) is reused, but only
   if the derived password logs in: otherwise the account belongs to someone else (the person signed up on
   the career site, or another integration made it) and the apply is refused, not hijacked.
2. ``POST /oauth/frontend/token`` (password grant, client Basic auth) -> the user token (never stored).
3. ``GET /v3/frontend/jobs/{job}/applied`` (bare ``true``/``false`` [conn]): already applied -> AlreadyApplied,
   unless this very call (same Idempotency-Key) made the application.
4. ``POST /v3/frontend/applications?jobId=`` (bare id [conn]) through ``call.once_id("application")``; ``find``
   reads the applicant's own applications (``GET /v3/frontend/applications`` [doc]) for a draft on this job.
   An unsent draft left by an abandoned earlier try ("already exists ... can be changed though" [doc]) is
   finished rather than refused; a sent one ("can not be changed anymore") is AlreadyApplied.
5. ``POST /v3/frontend/applications/{id}`` the ApplicationProfileDTO (replaces the stored one [doc]: safe to
   send again) with the answers and the files.
6. ``POST .../{id}/submit`` through ``call.once_id("submit")``; ``find`` asks ``applied`` again.

The answer is built "as submitted" (``kit.as_submitted``): softgarden has no recruiter-side read, so the
application and candidate cannot be read back. The candidate's remote id is the applicant's username.

Unverified [gap]: the DTO field names of the account (``firstName``/``lastName``) and of the profile
(``answers`` as ``{questionId, value}``, ``attachments`` as the Apply API's document structure
``{fileName, fileType, binaryData}`` plus ``type``; softgarden documents a separate attachment upload that is
not built); the token endpoint's status for a wrong password (OAuth2's 400 ``invalid_grant`` assumed; a 401
is the client id refused, an integration error); the job field of the applicant's applications list
(``jobDbId``, as the jobs list names it). The query parameter is ``jobId`` as the PHP client sends it
(the doc page names ``jobDbId``).
"""

from __future__ import annotations

import base64
from typing import Any

import orjson

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, JobClosed, WriteCall, WriteResult
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.softgarden.api import (
    applicant_password,
    normalised,
    rest_client,
    user_client,
    username_for,
)
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate
V3 = "/v3/frontend"
_TAKEN = ("mail_address_already_exists", "username_already_exists")


WRITES = kit.WriteTable()


def _code(exc: RemoteError) -> str:
    """The ``code`` of softgarden's ``{"code", "message"}`` error body ("" when there is none)."""
    try:
        body = orjson.loads(exc.body or "")
    except orjson.JSONDecodeError:
        return ""
    return str(body.get("code") or body.get("error") or "") if isinstance(body, dict) else ""


async def _login(rest: HttpClient, username: str, password: str) -> str | None:
    """The user token, or None when softgarden refuses the login (400 ``invalid_grant``)."""
    form = {"grant_type": "password", "username": username, "password": password}
    try:
        response = await rest.request("POST", "/oauth/frontend/token", data=form)
    except RemoteError as exc:
        if exc.status == 400:
            return None
        raise
    body = response.json()
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "softgarden answered the login without an access token")
    return token


def _answers(call: WriteCall[Body]) -> list[Raw]:
    out: list[Raw] = []
    for a in call.answers:
        if a.type == "FILE":
            continue
        value = [v.get("remote_id") for v in a.value] if isinstance(a.value, list) else a.value
        out.append({"questionId": a.question.get("remote_id"), "value": value})
    return out


def _documents(call: WriteCall[Body]) -> list[Raw]:
    files = [*call.files, *(a.value for a in call.answers if a.type == "FILE" and hasattr(a.value, "content"))]
    return [{"fileName": f.name, "fileType": f.content_type, "type": f.type,
             "binaryData": base64.b64encode(f.content).decode()} for f in files]  # fmt: skip


def _profile(call: WriteCall[Body]) -> Raw:
    c = call.body.candidate
    return {"firstName": c.first_name, "lastName": c.last_name, "email": c.email_address,
            "phone": c.phone_number, "answers": _answers(call), "attachments": _documents(call)}  # fmt: skip


async def _applied(user: HttpClient, job_id: str) -> bool:
    body = (await user.request("GET", f"{V3}/jobs/{job_id}/applied")).json()
    return body is True or (isinstance(body, list) and body[:1] == [True])


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    if source.info is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "softgarden apply needs the integration's credentials")
    c, job_id = call.body.candidate, str(call.job_remote_id)
    username, rest = username_for(c.email_address), rest_client(source)
    password = applicant_password(str(source.info.credentials.get("client_id") or ""), c.email_address)

    async def make_account() -> str:
        dto = {"username": username, "email": normalised(c.email_address), "password": password,
               "firstName": c.first_name, "lastName": c.last_name}  # fmt: skip
        try:
            await kit.create_request(rest, "POST", f"{V3}/applicants", json=dto)
        except RemoteError as exc:
            if _code(exc) not in _TAKEN:
                raise
        return username  # made now, or already there: the login below decides whose it is

    async def account_exists(_: Any) -> str | None:
        return username if await _login(rest, username, password) is not None else None

    await call.once_id("applicant", make_account, find=account_exists, marker=normalised(c.email_address))
    token = await _login(rest, username, password)
    if token is None:
        raise RemoteError("REMOTE.INPUT_INVALID", f"softgarden already has an applicant account for "
                          f"{c.email_address} that atsbridge did not create; the candidate must apply on the "
                          "career site (or the account be removed)")  # fmt: skip
    user = user_client(source, token)
    if "application_remote_id" not in call.progress and await _applied(user, job_id):
        raise AlreadyApplied(f"{c.email_address} already applied to softgarden job {job_id}")

    async def draft(_: Any) -> str | None:
        body = (await user.request("GET", f"{V3}/applications", params={"limit": 100, "offset": 0})).json()
        rows = body if isinstance(body, list) else []
        return next((str(r["applicationId"]) for r in rows if isinstance(r, dict)
                     and str(r.get("jobDbId")) == job_id and r.get("applicationId")), None)  # fmt: skip

    async def start() -> str:
        try:
            response = await kit.create_request(user, "POST", f"{V3}/applications", params={"jobId": job_id})
        except RemoteError as exc:
            if exc.status in (404, 410) or (exc.status == 400 and _code(exc) == "invalid_job_id"):
                raise JobClosed(f"softgarden job {job_id} takes no applications ({exc.status})") from None
            if _code(exc) == "project_not_applicable" and "can be changed though" in (exc.body or ""):
                found = await draft(None)  # an unsent draft of an earlier, abandoned try: finish that one
                if found is not None:
                    return found
            if _code(exc) == "project_not_applicable" and "already exists" in (exc.body or ""):
                raise AlreadyApplied(f"{c.email_address} already has an application to job {job_id}") from None
            raise
        made = response.json()
        return str(made[0] if isinstance(made, list) and made else made)

    app_id = await call.once_id("application", start, find=draft)
    if not any(k.startswith("submit_") for k in call.progress):  # a sent application can no longer be changed
        await user.request("POST", f"{V3}/applications/{app_id}", json=_profile(call))

    async def send() -> str:
        await kit.create_request(user, "POST", f"{V3}/applications/{app_id}/submit")
        return app_id

    async def sent(_: Any) -> str | None:
        return app_id if await _applied(user, job_id) else None

    await call.once_id("submit", send, find=sent)
    return WriteResult(
        unified=kit.as_submitted(call, application_remote_id=app_id, candidate_remote_id=username),
        created={"application_remote_id": app_id, "candidate_remote_id": username},
    )


ACTIONS = WRITES.actions()
