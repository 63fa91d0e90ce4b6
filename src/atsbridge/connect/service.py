"""Creating integrations: the one place where vendor credentials are sealed before they are stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from atsbridge.connectors.registry import get_connector
from atsbridge.core.config import Settings
from atsbridge.store import platform
from atsbridge.store.credentials import credential_box


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
