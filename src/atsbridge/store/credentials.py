"""The box that seals vendor credentials and webhook secrets at rest (AES-GCM under the platform secret).

Below every package that stores or opens a secret (sync, writes, webhooks, Connect, CLI), so none of them has
to import another to get it.
"""

from __future__ import annotations

from sqlalchemy import Engine

from atsbridge.core.config import Settings
from atsbridge.core.crypto import CredentialBox
from atsbridge.store import platform


def credential_box(engine: Engine, settings: Settings) -> CredentialBox:
    """The one way to build a box: the current secret seals, the old ones (ATSBRIDGE_OLD_SECRET_KEYS) still open."""
    return CredentialBox(platform.platform_secret(engine, settings.secret_key), settings.old_secrets())
