"""Settings, read once from the environment (prefix ``ATSBRIDGE_``).

Production mode refuses insecure defaults instead of silently running with them.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from atsbridge.core.limits import DEFAULT_MAX_BODY_BYTES


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ATSBRIDGE_", extra="ignore")

    mode: Literal["development", "production"] = "development"
    #: Where local state lives (the default SQLite database). Empty: the XDG data directory (see ``data_home``).
    data_dir: str = ""
    #: Empty: a SQLite file in ``data_dir``, the same one whatever folder a command runs from.
    database_url: str = ""
    #: Signs cursors and file links; encrypts credentials. Generated and kept in the database
    #: when unset in development; required in production.
    secret_key: str | None = None
    #: Earlier secret keys, comma separated: sealed data written under them can still be opened (and is
    #: re-sealed under the current key by ``atsbridge secrets rotate``; then they can be removed).
    old_secret_keys: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    #: Public base URL used in links the API hands out (attachment downloads).
    public_url: str | None = None
    sql_echo: bool = False
    #: Run the in-process scheduler in `serve`.
    scheduler: bool = True
    delta_sync_minutes: int = Field(default=15, ge=1)
    #: Every scheduled FULL run is also the drift audit (``GET /v1/integrations/{id}/sync-health``).
    full_sync_hours: int = Field(default=12, ge=1)
    #: Register vendor webhooks automatically (vendors with a registration API; needs ``public_url``).
    auto_vendor_webhooks: bool = True
    #: With healthy vendor webhooks (an event accepted in the last day) a delta is due this often at the most:
    #: webhooks bring changes in seconds and polling is the safety net (0: no relaxing).
    webhook_delta_sync_minutes: int = Field(default=60, ge=0)
    #: Vendor webhooks count as silent when polling finds changes this long after their last event.
    webhook_silence_minutes: int = Field(default=60, ge=0)
    #: Total time one sync may take. Within it a vendor's 429s only slow the sync down (the client lowers
    #: its pace and waits as told); a sync still refused when it runs out fails with a clear error.
    sync_time_budget_seconds: float = Field(default=24 * 3600.0, gt=0)
    #: A failed sync is retried after this long, doubling per failure in a row, up to the cap below
    #: (runs forced through the API or the dashboard are not held back).
    sync_retry_base_seconds: float = Field(default=60.0, gt=0)
    sync_retry_max_seconds: float = Field(default=3600.0, gt=0)
    #: An integration whose host cannot be reached this many syncs in a row becomes INVALID (with the
    #: reason); its next successful sync makes it ACTIVE again.
    unreachable_invalid_after: int = Field(default=3, ge=1)
    #: Refuse to mark more than this share of a model deleted in one full sync.
    deletion_breaker_ratio: float = Field(default=0.2, ge=0.0, le=1.0)
    #: Deleted records are anonymised this long after they disappeared.
    anonymise_after_days: int = Field(default=14, ge=0)
    #: Let the hosted Connect page accept vendor base-URL overrides in production too (always on in development).
    connect_allow_custom_hosts: bool = False
    #: How long the Connect page waits for the vendor to confirm credentials before giving up.
    connect_verify_timeout_seconds: float = Field(default=20.0, gt=0)

    def old_secrets(self) -> list[bytes]:
        """The earlier secret keys, in the order given."""
        return [k.strip().encode() for k in self.old_secret_keys.split(",") if k.strip()]

    #: Run the outgoing-webhook dispatcher in `serve` and `worker` (any number of processes may run it).
    webhooks_dispatch: bool = True
    #: How often an idle dispatcher looks for due deliveries (it wakes at once for events of its own process).
    webhook_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    #: First retry delay; doubles per attempt (with jitter) up to an hour, for 24 hours.
    webhook_retry_base_seconds: float = Field(default=10.0, gt=0)
    #: How long one delivery attempt may take (connect + response).
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    #: Production refuses plain-http and private/loopback webhook targets (SSRF) unless this is set.
    webhook_allow_private_targets: bool = False
    #: Finished webhook deliveries and events older than this are pruned (undelivered ones never are).
    event_retention_days: int = Field(default=30, ge=1)

    # ---- the HTTP edge: no single request may stall or bloat the server
    #: Total time a ``data_url`` download may take (not per read: a trickling server cannot stretch it).
    fetch_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    #: Largest API request body (``/v1``): one largest attachment as base64, plus room for the JSON around it.
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, ge=1024)
    #: Largest body of the HTML pages' form posts (dashboard, Connect): they carry a few fields.
    max_form_bytes: int = Field(default=1024 * 1024, ge=1024)
    #: A request body must arrive within this long in total...
    body_timeout_seconds: float = Field(default=120.0, gt=0)
    #: ...and with no pause longer than this between two of its chunks.
    body_idle_seconds: float = Field(default=15.0, gt=0)
    #: A request's line and headers must arrive within this long (counted from the connection, or from
    #: the end of the previous response on a kept-alive connection).
    header_timeout_seconds: float = Field(default=10.0, gt=0)
    #: Largest request line plus headers.
    max_header_bytes: int = Field(default=64 * 1024, ge=1024)
    #: An idle kept-alive connection is closed after this long.
    keep_alive_seconds: int = Field(default=5, ge=1)

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        """Resolve the data directory and the default database once, so every reader sees absolute paths."""
        self.data_dir = str(Path(self.data_dir).expanduser().resolve()) if self.data_dir else str(data_home())
        if not self.database_url:
            self.database_url = default_database_url(Path(self.data_dir))
        return self

    def database_is_default(self) -> bool:
        """True when the database is the default file in the default data directory (nothing configured)."""
        return self.database_url == default_database_url(data_home())

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.mode == "production":
            if not self.secret_key or len(self.secret_key) < 32:
                raise ValueError(
                    "ATSBRIDGE_SECRET_KEY must be set (at least 32 characters) when ATSBRIDGE_MODE=production"
                )
            if self.database_url.startswith("sqlite"):
                raise ValueError("production mode needs PostgreSQL: set ATSBRIDGE_DATABASE_URL")
        return self


def data_home() -> Path:
    """The default data directory: ``$XDG_DATA_HOME/atsbridge``, else ``~/.local/share/atsbridge``.

    One well-known place, not the working directory: a command run from another folder must find the same
    database instead of silently creating an empty one.
    """
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg and Path(xdg).expanduser().is_absolute() else Path.home() / ".local" / "share"
    return (base / "atsbridge").resolve()


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'atsbridge.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
