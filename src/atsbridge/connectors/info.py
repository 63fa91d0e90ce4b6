"""What a connector is opened with: an integration's config and its credentials, unsealed.

Lives with the connectors (not in Connect) so that sync, writes and passthrough open connectors without
importing the package that creates integrations.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from atsbridge.connectors.base import IntegrationInfo
from atsbridge.core.config import Settings
from atsbridge.store import platform
from atsbridge.store.credentials import credential_box


def integration_info(engine: Engine, settings: Settings, integration: platform.Integration) -> IntegrationInfo:
    """What a connector gets: config, decrypted credentials, and a way to persist rotated ones."""
    box = credential_box(engine, settings)

    async def save(credentials: dict[str, Any]) -> None:
        with engine.begin() as conn:
            platform.save_credentials(conn, integration.id, box.seal(credentials))

    return IntegrationInfo(
        integration.id, integration.tool, integration.config, box.open(integration.sealed_credentials), engine, save
    )
