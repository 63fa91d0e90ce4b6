"""Personio's one write: ``POST /v1/recruiting/applications`` (after uploading its files to ``/documents``).

The create answers 201 with no body, so the new application is found through the v2 read API
(``candidate.email`` filter, then the job). The POST is not idempotent: its intent is recorded first and a
resumed call looks the application up before posting again. ``phase`` creates it directly in the chosen stage.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors.actions import AlreadyApplied, FileData, WriteCall, WriteResult
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.auth import HeaderAuth
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.source import HttpSource
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
V1 = "/v1/recruiting/applications"
CATEGORIES = {"CV": "cv", "COVER_LETTER": "cover-letter", "OTHER": "other"}


def _v1_client(source: HttpSource) -> tuple[HttpClient, bool]:
    """(client, owned): the Recruiting API token when configured, else the v2 source's own client."""
    info: IntegrationInfo = source.state["info"]
    key = info.credentials.get("recruiting_api_key")
    if not key:
        return source.client, False
    client = HttpClient(base_url=source.client.base_url, auth=HeaderAuth("Authorization", f"Bearer {key}"),
                        timeout=source.client.timeout)  # fmt: skip
    return client, True


def _headers(source: HttpSource) -> dict[str, str]:
    info: IntegrationInfo = source.state["info"]
    return {"X-Company-ID": str(info.config.get("company_id") or ""), "Accept": "application/json"}


async def _get(source: HttpSource, path: str, params: dict[str, Any] | None = None) -> Any:
    response = await source.client.request("GET", path, params=params)
    try:
        return response.json()
    except ValueError:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{path}: not complete JSON", retryable=True) from None


async def find_application(source: HttpSource, email: str, job_id: str) -> Raw | None:
    body = await _get(source, "/v2/recruiting/applications", {"candidate.email": email, "limit": 200})
    for app in (body or {}).get("_data") or []:
        if str((app.get("job") or {}).get("id")) == job_id:
            return dict(app)
    return None


async def _upload(source: HttpSource, client: HttpClient, f: FileData) -> Raw:
    response = await client.request("POST", f"{V1}/documents", files={"file": (f.name, f.content, f.content_type)},
                                    headers=_headers(source), retry=False)  # fmt: skip
    return dict(response.json())


def _payload(call: WriteCall, body: Any, uploads: list[Raw]) -> Raw:
    c = body.candidate
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


async def _post(source: HttpSource, client: HttpClient, call: WriteCall, payload: Raw) -> None:
    call.step("application_create_started", payload["email"].lower())
    try:
        await client.request("POST", V1, json=payload, headers=_headers(source), retry=False)
    except RemoteError as exc:
        if exc.status == 400 and "already applied" in exc.message.lower():
            raise AlreadyApplied(f"{payload['email']} already applied to job {call.job_remote_id}") from None
        raise


async def create_application(source: HttpSource, call: WriteCall) -> WriteResult:
    body = call.body
    assert isinstance(body, bodies.CreateApplication | bodies.CreateCandidate)
    email, job_id = body.candidate.email_address, str(call.job_remote_id)
    client, owned = _v1_client(source)
    try:
        found = (
            await find_application(source, email, job_id) if call.progress.get("application_create_started") else None
        )
        if found is None:
            uploads = []
            for i, f in enumerate(list(call.files) + [a.value for a in call.answers if a.type == "FILE"]):
                doc = call.progress.get(f"document_{i}") or await _upload(source, client, f)
                call.step(f"document_{i}", doc)
                uploads.append({"uuid": doc["uuid"], "original_filename": f.name,
                                "category": CATEGORIES.get(f.type, "other")})  # fmt: skip
            await _post(source, client, call, _payload(call, body, uploads))
            found = await find_application(source, email, job_id)
    finally:
        if owned:
            await client.aclose()
    if found is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Personio accepted the application but does not list it yet")
    call.step("application_remote_id", str(found["id"]))
    cand_id = str((found.get("candidate") or {}).get("id"))
    candidate = await _get(source, f"/v2/recruiting/candidates/{cand_id}")
    warnings = []
    if any(a.type != "FILE" for a in call.answers):
        warnings.append("Personio's application API takes custom attributes, not screening answers; not sent")
    return WriteResult([("applications", found), ("candidates", candidate)], warnings,
                       {"application_remote_id": str(found["id"]), "candidate_remote_id": cand_id})  # fmt: skip
