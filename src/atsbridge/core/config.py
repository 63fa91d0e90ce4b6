"""Settings, read once from the environment (prefix ``ATSBRIDGE_``).

Production mode refuses insecure defaults instead of silently running with them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ATSBRIDGE_", extra="ignore")

    mode: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///./atsbridge.db"
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
    full_sync_hours: int = Field(default=12, ge=1)
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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
