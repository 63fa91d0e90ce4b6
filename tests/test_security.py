"""Tenancy and secrets, on SQLite and PostgreSQL.

1. A key of environment A gets exactly the answer a missing id gets for environment B's integration on every
   integration-scoped endpoint. The endpoint list is built from the app's routes, so new routes are covered
   automatically (a new write route only needs a minimal valid body in ``BODIES``).
2. Vendor credentials and API keys never appear in clear: not in any column, log line or API response.
"""

from __future__ import annotations

import inspect
import logging
import re
import secrets
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import Engine

from atsbridge.api.app import create_app
from atsbridge.connect.service import create_integration
from atsbridge.core.config import Settings
from atsbridge.fakes import greenhouse
from atsbridge.store import platform
from atsbridge.testing import serve_asgi
from tests.conftest import Server, make_sandbox, sync_now
from tests.security_scan import assert_no_clear_secrets

_CANDIDATE = {"first_name": "A", "last_name": "B", "email_address": "a@b.example"}
_UPLOAD = {"name": "cv.txt", "type": "CV", "content_type": "text/plain", "data": "aGk="}
_LINK = {
    "label": "x",
    "url": "https://x.example",
    "details": {"custom_field_name_prefix": "x", "attributes": [{"key": "k", "value": "v"}]},
}
#: A minimal valid body per operation (a body FastAPI rejects never reaches the tenancy check).
BODIES: dict[str, Any] = {
    "PostAtsJobsJobIdApplications": {"candidate": _CANDIDATE},
    "PostAtsCandidates": {"candidate": _CANDIDATE, "application": {"job_id": "x"}},
    "PutAtsApplicationsApplicationIdStage": {"stage_id": "x"},
    "PostAtsApplicationsApplicationIdReject": {"rejection_reason_id": "x"},
    "PostAtsApplicationsApplicationIdNotes": {"content": "x", "content_type": "PLAIN_TEXT"},
    "PostAtsApplicationsApplicationIdAttachments": {"attachment": _UPLOAD},
    "PostAtsCandidatesCandidateIdAttachments": {"attachment": _UPLOAD},
    "PostAtsApplicationsApplicationIdResultLinks": _LINK,
    "PostAtsCandidatesCandidateIdResultLinks": _LINK,
    "PostAtsCandidatesCandidateIdTags": {"tag": {"name": "x"}},
    "DeleteAtsCandidatesCandidateIdTags": {"tag": {"name": "x"}},
    "PostAtsImportTrackedApplication": {"tracked_at": "2024-01-01T00:00:00Z", "application_remote_id": "x"},
    "PutIntegrationsIntegrationIdEnabled": {"value": False},
    "PutIntegrationScopeConfig": {"scope_config_id": None},
    "PatchIntegrationsIntegrationIdIntegrationFieldsIntegrationFieldId": {"enable_passthrough": True},
    "PutIntegrationsIntegrationIdCustomFieldsCustomFieldId": {"integration_field_id": None},
    "PutIntegrationsIntegrationIdStatusMap": {"status_map": {}},
    "PostPassthroughToolApi": {"method": "GET", "path": "x"},
}
_SCOPED_CALLS = re.compile(r"\b(ready_tenant|tenant|own_integration|_own_integration)\(")
MISSING = "sandbox:" + "1" * 24


def _endpoints(routes: list[Any], out: dict[str, Any]) -> dict[str, Any]:
    """operation id -> endpoint function, through included routers at any depth."""
    for route in routes:
        if isinstance(route, APIRoute):
            out[route.operation_id or route.unique_id] = route.endpoint
        original = getattr(route, "original_router", None)
        if original is not None:
            _endpoints(original.routes, out)
    return out


def _scoped(path: str, endpoint: Any) -> bool:
    """Integration-scoped: names an integration in its path or resolves the X-Integration-Id tenant."""
    if "{integration_id}" in path or path.startswith(("/v1/ats/", "/v1/passthrough/")):
        return True
    try:
        return bool(_SCOPED_CALLS.search(inspect.getsource(endpoint)))
    except (OSError, TypeError):
        return False


def _calls(app: FastAPI) -> list[tuple[str, str, str, Any]]:
    """(operation, method, path, body) of every integration-scoped operation the app serves."""
    endpoints = _endpoints(app.routes, {})
    out = []
    for path, operations in app.openapi()["paths"].items():
        for method, op in operations.items():
            operation_id = op.get("operationId", "")
            if not _scoped(path, endpoints.get(operation_id)):
                continue
            method = method.upper()
            concrete = path.replace("{tool}", "sandbox").replace("{api}", "v1")
            concrete = re.sub(r"\{(?!integration_id)[a-z_]+\}", "x" * 24, concrete)
            body = BODIES.get(operation_id, {} if method in ("POST", "PUT", "PATCH", "DELETE") else None)
            out.append((operation_id, method, concrete, body))
    return out


def _normalise(response: httpx.Response, integration_id: str) -> tuple[int, str]:
    return response.status_code, response.text.replace(integration_id, "<id>")


def test_foreign_integration_is_not_found_everywhere(engine: Engine, settings: Settings, server: Server) -> None:
    target = make_sandbox(engine, settings, "tiny", seed=21)
    with engine.begin() as conn:
        env_a = platform.create_environment(conn, f"a-{uuid.uuid4().hex[:6]}")
        key_a = platform.create_api_key(conn, env_a, "test")
    app = create_app(settings, engine, migrate=False)
    calls = _calls(app)
    assert len(calls) >= 34, calls  # every ATS read and write, general.*, atsbridge extensions
    problems = []
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for op, method, path, body in calls:
            answers = []
            for iid in (target.integration_id, MISSING):
                response = http.request(
                    method,
                    path.replace("{integration_id}", iid),
                    headers={"Authorization": f"Bearer {key_a}", "X-Integration-Id": iid},
                    json=body,
                )
                answers.append(_normalise(response, iid))
            foreign, missing = answers
            if foreign != missing:
                problems.append(f"{op} {method}: foreign {foreign} != missing {missing}")
            elif "PLATFORM.INTEGRATION_NOT_FOUND" not in foreign[1]:
                problems.append(f"{op} {method}: {foreign} (add a minimal valid body to BODIES?)")
    assert not problems, "\n".join(problems)
    # Nothing changed for the owner.
    with engine.connect() as conn:
        still = platform.get_integration(conn, target.integration_id)
    assert still is not None and still.enabled


def test_no_secret_in_clear(
    engine: Engine, settings: Settings, server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    client_id = "cid-" + secrets.token_urlsafe(18)
    client_secret = "csec-" + secrets.token_urlsafe(24)
    caplog.set_level(logging.DEBUG)
    responses: dict[str, str] = {}
    with serve_asgi(greenhouse.create_app(records=12, client_id=client_id, client_secret=client_secret)) as url:
        config, _ = greenhouse.conformance_setup(url)
        with engine.begin() as conn:
            env = platform.create_environment(conn, f"s-{uuid.uuid4().hex[:6]}")
            key = platform.create_api_key(conn, env, "test")
        iid = create_integration(
            engine,
            settings,
            env,
            "greenhouse",
            "Acme",
            config=config,
            credentials={"client_id": client_id, "client_secret": client_secret},
        )
        sync_now(engine, settings, iid, full=True)
        headers = {"Authorization": f"Bearer {key}", "X-Integration-Id": iid}
        with httpx.Client(base_url=server.v1, headers=headers, timeout=30) as http:
            for method, path, body in [
                ("GET", f"/integrations/{iid}", None),
                ("GET", "/ats/jobs", None),
                ("GET", "/ats/candidates", None),
                ("GET", "/syncs", None),
                ("POST", "/force-sync", {"type": "DELTA"}),
                ("POST", "/passthrough/greenhouse/harvestv3", {"method": "GET", "path": "jobs"}),
                ("POST", "/passthrough/greenhouse/harvestv3", {"method": "GET", "path": "../x"}),
                ("GET", f"/integrations/{iid}/integration-fields", None),
                ("PUT", f"/integrations/{iid}/enabled", {"value": True}),
            ]:
                response = http.request(method, path, json=body)
                assert response.status_code < 500, response.text
                responses[f"{method} {path} -> {response.status_code}"] = response.text
    logs = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert logs  # the sync and the server did log
    assert_no_clear_secrets(engine, [client_id, client_secret, key], {"logs": logs, **responses})


def test_scanner_finds_what_it_should(engine: Engine, settings: Settings) -> None:
    """The scanner itself: a secret in clear in a column, or in a text, is reported."""
    planted = "planted-" + secrets.token_urlsafe(12)
    with engine.begin() as conn:
        env = platform.create_environment(conn, planted)
    from tests.security_scan import find_clear_secrets

    hits = find_clear_secrets(engine, [planted], {"a response": f'{{"x": "{planted}"}}'})
    assert "environments.name contains plan…" in hits and "a response contains plan…" in hits
    with engine.begin() as conn:
        from sqlalchemy import delete

        from atsbridge.store.tables import environments

        conn.execute(delete(environments).where(environments.c.id == env))
