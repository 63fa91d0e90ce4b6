"""Personio's one write: ``POST /v1/recruiting/applications`` (after uploading its files to ``/documents``).

v1 wants the ``X-Company-ID`` header (``config.company_id``) and the Recruiting API token
(``credentials.recruiting_api_key``; without one the v2 bearer token is sent). The create answers 201 with no
body, so the new application is found through the v2 read API (``candidate.email`` filter, then the job). The
POST is not idempotent: it goes through ``call.once``, whose ``find`` is that same lookup. ``phase`` creates
the application directly in the chosen stage.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, FileData, WriteCall, WriteResult
from atsbridge.connectors.http.auth import HeaderAuth
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.personio.api import API, RECRUITING
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate
V1 = "/v1/recruiting/applications"
CATEGORIES = {"CV": "cv", "COVER_LETTER": "cover-letter", "OTHER": "other"}


WRITES = kit.WriteTable()


def _v1_client(source: kit.KitSource) -> HttpClient:
    """The v1 client: the tenant's ``X-Company-ID`` on every request, and the Recruiting API token when one is
    configured (else the v2 OAuth token). Made once per source and closed with it."""
    info, base = source.info, source.client.base_url
    if info is None:  # writes always run with the integration's info
        raise RuntimeError("Personio writes need the integration's config and credentials")
    key = info.credentials.get("recruiting_api_key")
    auth = HeaderAuth("Authorization", f"Bearer {key}") if key else API.auth.build(info, base, None)
    headers = {"X-Company-ID": str(info.config.get("company_id") or ""), "Accept": "application/json"}
    return source.sibling("v1", lambda: HttpClient(base_url=base, auth=auth, headers=headers,
                                                   timeout=source.client.timeout)).client  # fmt: skip


async def find_application(source: kit.KitSource, email: str, job_id: str) -> Raw | None:
    body = await source.get_json(f"{RECRUITING}/applications", {"candidate.email": email, "limit": 200})
    for app in (body or {}).get("_data") or []:
        if str((app.get("job") or {}).get("id")) == job_id:
            return dict(app)
    return None


async def _upload(source: kit.KitSource, f: FileData) -> Raw:
    file = {"file": (f.name, f.content, f.content_type)}
    response = await kit.create_request(_v1_client(source), "POST", f"{V1}/documents", files=file)
    return dict(response.json())


def _payload(call: WriteCall[Body], uploads: list[Raw]) -> Raw:
    c = call.body.candidate
    payload: Raw = {"job_position_id": call.job_remote_id, "first_name": c.first_name, "last_name": c.last_name,
                    "email": c.email_address, "files": uploads}  # fmt: skip
    if c.phone_number:
        payload["phone"] = c.phone_number
    stage = (call.stage or {}).get("custom_fields") or {}
    if stage.get("kind") == "custom" and stage.get("id"):
        payload["phase"] = {"type": "custom", "id": stage["id"]}
    elif stage.get("kind") == "system" and stage.get("type") not in (None, "unassigned"):
        payload["phase"] = {"type": "system", "id": stage["type"]}
    extra = call.remote_fields.get("application")
    return {**payload, **extra} if isinstance(extra, dict) else payload


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    email, job_id = call.body.candidate.email_address, str(call.job_remote_id)

    async def find(_: Any) -> Raw | None:
        return await find_application(source, email, job_id)

    async def create() -> Raw:
        uploads = []
        for i, f in enumerate(list(call.files) + [a.value for a in call.answers if a.type == "FILE"]):
            doc = call.progress.get(f"document_{i}") or await _upload(source, f)
            call.step(f"document_{i}", doc)
            uploads.append({"uuid": doc["uuid"], "original_filename": f.name,
                            "category": CATEGORIES.get(f.type, "other")})  # fmt: skip
        try:
            await kit.create_request(_v1_client(source), "POST", V1, json=_payload(call, uploads))
        except RemoteError as exc:
            if exc.status == 400 and "already applied" in exc.message.lower():
                raise AlreadyApplied(f"{email} already applied to job {job_id}") from None
            raise
        found = await find(None)
        if found is None:  # retryable: the intent stays, so a retry looks again instead of posting twice
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Personio accepted the application but does not list it yet",
                              retryable=True)  # fmt: skip
        return found

    async def fetch(app_id: str) -> Raw:
        return dict(await source.get_json(f"{RECRUITING}/applications/{app_id}"))

    found = await call.once("application", create, find=find, fetch=fetch, marker=email.lower())
    cand_id = str((found.get("candidate") or {}).get("id"))
    candidate = await source.get_json(f"{RECRUITING}/candidates/{cand_id}")
    warnings = []
    if any(a.type != "FILE" for a in call.answers):
        warnings.append("Personio's application API takes custom attributes, not screening answers; not sent")
    return WriteResult([("applications", found), ("candidates", candidate)], warnings,
                       {"application_remote_id": str(found["id"]), "candidate_remote_id": cand_id})  # fmt: skip


ACTIONS = WRITES.actions()
