"""TRAFFIT's Integration API v2, declared once: ``https://{instance}.traffit.com/api/integration/v2``, an OAuth2
token from the same host's ``/oauth2/token``, and paging, filtering and sorting in request headers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.auth import OAuth2
from atsbridge.connectors.kit.auth import credential

Raw = dict[str, Any]

BASE_URL = "https://{instance}.traffit.com/api/integration/v2"
TOKEN_URL = "https://{instance}.traffit.com/oauth2/token"
#: One scope per resource family [3p]; the client must be granted these in TRAFFIT's API settings.
SCOPE = "user workflow recruitment employee file"
FILTER, SORT = "X-Request-Filter", "X-Request-Sort"
#: Oldest first by id: page numbers stay stable while records are added during a listing.
BY_ID = {SORT: '{"sort_by":"id","direction":"ASC"}'}
#: ``YYYY-MM-DD HH:MM:SS``, the vendor's time format [doc, public job posts].
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def token_url_of(base_url: str) -> str:
    """The token endpoint of the instance the base URL names (``.../api/integration/v2`` -> ``/oauth2/token``)."""
    return base_url.split("/api/integration", 1)[0].rstrip("/") + "/oauth2/token"


@dataclass(frozen=True)
class TraffitOAuth(kit.OAuthClientCredentials):
    """OAuth2 on the instance's own host. TRAFFIT's documented example is the **password** grant (client id and
    secret plus a TRAFFIT user's login) [doc]; a client-credentials variant is reported [3p]. Both are offered:
    with a username and password the password grant is used, without them client credentials (unverified)."""

    username: FormField | None = None
    password: FormField | None = None

    @property
    def fields(self) -> tuple[FormField, ...]:
        return (self.client_id, self.client_secret, *(f for f in (self.username, self.password) if f is not None))

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        extra = {"scope": str(info.config.get("scope") or self.scope or "")}
        user = str(info.credentials.get(self.username.key) or "") if self.username else ""
        password = str(info.credentials.get(self.password.key) or "") if self.password else ""
        if user and password:
            extra.update(username=user, password=password)
        return OAuth2(
            token_url=str(info.config.get("token_url") or token_url_of(base_url)),
            client_id=credential(info, self.client_id),
            client_secret=credential(info, self.client_secret),
            grant="password" if user and password else "client_credentials",
            extra={k: v for k, v in extra.items() if v},
            transport=transport,
        )


def since_filter(ts: datetime) -> str:
    """``X-Request-Filter: {"updated_at": {"value": ..., "comparison": ">="}}`` [3p]. TRAFFIT writes local
    (Polish) times; the filter is sent in UTC, which is never later than the tenant's local time, so a delta
    over-reads by the offset at worst and never misses a change."""
    value = ts.astimezone(UTC).strftime(TIME_FORMAT)
    return orjson.dumps({"updated_at": {"value": value, "comparison": ">="}}).decode()


API = kit.VendorApi(
    base_url=BASE_URL,
    auth=TraffitOAuth(
        token_url=TOKEN_URL,
        client_id=kit.Text(
            "client_id", "Client ID", help="The API client's name as TRAFFIT shows it: <instance>_<client>."
        ),
        client_secret=kit.Secret(
            "client_secret",
            "Client secret",
            help="Settings > Integration with the TRAFFIT API > the client > Generate Client Secret.",
        ),
        scope=SCOPE,
        username=FormField(
            "username",
            "TRAFFIT user (password grant)",
            required=False,
            help="Optional: a TRAFFIT user's login, for clients that use the password grant.",
        ),
        password=FormField("password", "User password (password grant)", kind="secret", required=False),
    ),  # fmt: skip
    pager=kit.HeaderPages(page_size=100, header_params=(FILTER, SORT)),
    records_path=None,  # bodies are bare arrays [doc]
    # Rate limits are undocumented [3p]: a modest pace; a 429 is backed off like any other.
    rate=kit.RatePolicy(5, 1.0, concurrency=3),
    timeout_seconds=30.0,
    headers=(("Accept", "application/json"),),
    passthrough="v2",
)

#: Recruitments (jobs) listed in this run: the parents of their candidates-in-recruitment and rejections.
RECRUITMENTS: kit.Lookup[Raw] = kit.Lookup("recruitments")
#: Employees (candidates) listed in this run: the parents of their notes and files.
EMPLOYEES: kit.Lookup[Raw] = kit.Lookup("employees")
#: Workflow state id -> its name (the outcome of an application is decided by its state's name).
STATES: kit.Lookup[str] = kit.Lookup("states")
#: ``"<recruitment id>:<employee id>"`` -> the rejection row (the application's DECLINED outcome).
REJECTIONS: kit.Lookup[Raw] = kit.Lookup("rejections")


def application_id(recruitment_id: object, employee_id: object) -> str | None:
    """An employee is in a recruitment at most once: the pair is the application's remote id."""
    if recruitment_id in (None, "") or employee_id in (None, ""):
        return None
    return f"{recruitment_id}:{employee_id}"


def split_application_id(remote_id: str) -> tuple[str, str] | None:
    parts = remote_id.split(":")
    return (parts[0], parts[1]) if len(parts) == 2 and all(p.isdigit() for p in parts) else None
