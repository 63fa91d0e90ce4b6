"""Authentication and tenancy: which environment a key belongs to, and which integration a call is for."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from atsbridge.core.errors import ApiError
from atsbridge.runtime.state import AppState, app_state
from atsbridge.store.platform import Integration


def environment_id(request: Request) -> str:
    return key_environment(app_state(request), request.headers.get("authorization", ""))


def key_environment(state: AppState, header: str) -> str:
    """The environment of the ``Authorization: Bearer`` key, or ``PLATFORM.AUTHENTICATION_INVALID``.
    Also called by the body guard, before any request body is read."""
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ApiError(
            "PLATFORM.AUTHENTICATION_INVALID",
            "Authorization header missing or malformed: send 'Authorization: Bearer <API key>'",
        )
    env = state.environment_for_key(key.strip())
    if env is None:
        raise ApiError("PLATFORM.AUTHENTICATION_INVALID", "the API key is invalid or has been revoked")
    return env


@dataclass(frozen=True)
class Tenant:
    environment_id: str
    integration: Integration


def tenant(request: Request) -> Tenant:
    """The caller's integration (``X-Integration-Id``), which must belong to the key's environment."""
    env = environment_id(request)
    integration_id = request.headers.get("x-integration-id", "").strip()
    if not integration_id:
        raise ApiError("PLATFORM.INPUT_INVALID", "X-Integration-Id header is required for this endpoint")
    integration = app_state(request).integration(integration_id)
    # A foreign integration gets the very same answer as a missing one: nothing leaks across environments.
    if integration is None or integration.environment_id != env:
        raise ApiError(
            "PLATFORM.INTEGRATION_NOT_FOUND",
            f"X-Integration-Id: no integration '{integration_id}' in this API key's environment",
        )
    return Tenant(env, integration)


def ready_tenant(request: Request) -> Tenant:
    """A tenant whose integration is enabled and has finished its first sync (required to read data)."""
    t = tenant(request)
    if not t.integration.enabled:
        raise ApiError("INTEGRATION.INACTIVE", "this integration is disabled; enable it to read or write data")
    if t.integration.setup_status != "COMPLETED":
        raise ApiError(
            "INTEGRATION.SETUP_SYNC_PENDING",
            "the first sync of this integration has not finished yet; data is served once it completes",
        )
    return t


def own_integration(request: Request, integration_id: str) -> Integration:
    """The integration named in the path, which must belong to the key's environment (else not found, exactly
    as for a missing id)."""
    env = environment_id(request)
    integration = app_state(request).integration(integration_id)
    if integration is None or integration.environment_id != env:
        raise ApiError("PLATFORM.INTEGRATION_NOT_FOUND", f"integration_id: no integration '{integration_id}'")
    return integration
