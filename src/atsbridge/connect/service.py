"""Creating integrations: the one place where vendor credentials are sealed before they are stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.registry import get_connector
from atsbridge.core.config import Settings
from atsbridge.core.crypto import CredentialBox
from atsbridge.store import platform


def credential_box(engine: Engine, settings: Settings) -> CredentialBox:
    """The one way to build a box: the current secret seals, the old ones (ATSBRIDGE_OLD_SECRET_KEYS) still open."""
    return CredentialBox(platform.platform_secret(engine, settings.secret_key), settings.old_secrets())


def integration_info(engine: Engine, settings: Settings, integration: platform.Integration) -> IntegrationInfo:
    """What a connector gets: config, decrypted credentials, and a way to persist rotated ones."""
    box = credential_box(engine, settings)

    async def save(credentials: dict[str, Any]) -> None:
        with engine.begin() as conn:
            platform.save_credentials(conn, integration.id, box.seal(credentials))

    return IntegrationInfo(
        integration.id, integration.tool, integration.config, box.open(integration.sealed_credentials), engine, save
    )


def create_integration(
    engine: Engine,
    settings: Settings,
    environment_id: str,
    tool: str,
    organization_name: str,
    *,
    config: dict[str, Any] | None = None,
    credentials: dict[str, Any] | None = None,
) -> str:
    get_connector(tool)  # unknown tools fail here, before anything is stored
    sealed = credential_box(engine, settings).seal(credentials) if credentials else None
    with engine.begin() as conn:
        return platform.create_integration(conn, environment_id, tool, organization_name, config, sealed)
