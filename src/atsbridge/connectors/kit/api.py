"""A vendor API declared once: base URL, auth, default pager and records path, rate limit, error shape,
timeouts and listing quirks. Every request of the connector (sync, writes, passthrough, the Connect check)
goes through the client it builds, so these are stated in one place only."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import Paginator, Single
from atsbridge.connectors.http.ratelimit import RateLimit
from atsbridge.connectors.kit.auth import Auth
from atsbridge.connectors.kit.errors import ErrorShape


@dataclass(frozen=True)
class RatePolicy:
    """The vendor's documented budget, paced client-side (its ``X-RateLimit-*`` headers take over once seen,
    and a 429 always backs off). ``config["requests_per_second"]`` changes it per integration."""

    requests: int
    per_seconds: float = 1.0
    #: Per-row calls (detail enrichment, fan-out) in flight at once; the pace above still applies.
    concurrency: int = 4

    def for_integration(self, config_rate: object) -> RateLimit:
        if config_rate is None:
            return RateLimit(self.requests, self.per_seconds)
        rate = float(str(config_rate))
        return RateLimit(int(rate), 1.0) if rate >= 1 else RateLimit(1, 1 / max(rate, 0.01))


@dataclass(frozen=True)
class Restart:
    """A listing the vendor breaks midway in a known, harmless way (Lever rejects its own offset token) is
    listed again from page 1 up to ``times`` times (re-read rows are unchanged, so nothing is rewritten)."""

    when: Callable[[RemoteError], bool]
    times: int = 2


#: ``{config_key}`` placeholders in a declared base URL.
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
#: What a config value may be to become part of a host or path: a DNS label, a company slug, a region code.
_SAFE_PART = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$")


def placeholders(template: str) -> tuple[str, ...]:
    """The config keys a base URL template names (``https://{subdomain}.example.com`` -> ``("subdomain",)``)."""
    return tuple(_PLACEHOLDER.findall(template))


def fill_base_url(template: str, config: Mapping[str, object]) -> str:
    """The template with each ``{key}`` replaced by ``config[key]``.

    A value that is missing or is not a plain slug (``acme``, ``eu-1``, ``acme.example``) is left out rather
    than spliced into the URL: the host stays unresolvable or the path wrong, so the vendor's 401/404 (or the
    connection error) explains it at the credential check, never a request to a host the customer did not name.
    """

    def value(match: re.Match[str]) -> str:
        text = str(config.get(match.group(1)) or "").strip()
        return text if _SAFE_PART.match(text) and ".." not in text else "invalid"

    return _PLACEHOLDER.sub(value, template)


@dataclass(frozen=True)
class VendorApi:
    """One vendor API. Config keys every integration may set: ``base_url`` (hosted Connect only in
    development or with custom hosts allowed), ``timeout_seconds``, ``requests_per_second``.

    ``base_url`` may name config keys (``"https://{subdomain}.pinpointhq.com/api/v1"``,
    ``"https://recruit.zoho.{region}/recruit/v2"``): each integration's value fills it (see ``fill_base_url``);
    declare the keys as ``ConnectForm.extra`` fields so the Connect form asks for them.
    """

    base_url: str
    auth: Auth
    pager: Paginator = field(default_factory=Single)
    #: Where the rows are in a list answer (``"data"``; None: the body is the list).
    records_path: str | None = None
    rate: RatePolicy | None = None
    errors: ErrorShape = field(default_factory=ErrorShape)
    timeout_seconds: float = 30.0
    headers: tuple[tuple[str, str], ...] = ()
    restart: Restart | None = None
    #: Fan-out: parent rows whose children make up one engine page (one commit).
    batch: int = 25
    #: The passthrough key of this API (``POST /v1/passthrough/{tool}/{api}``).
    passthrough: str = "v1"

    @property
    def concurrency(self) -> int:
        return self.rate.concurrency if self.rate is not None else 4

    def client(self, info: IntegrationInfo, transport: httpx.AsyncBaseTransport | None = None) -> HttpClient:
        """The authenticated client of one integration (one per sync run or write)."""
        base_url = str(info.config.get("base_url") or fill_base_url(self.base_url, info.config))
        rate = self.rate.for_integration(info.config.get("requests_per_second")) if self.rate else None
        return HttpClient(
            base_url=base_url,
            auth=self.auth.build(info, base_url, transport),
            headers=dict(self.headers),
            rate_limit=rate,
            timeout=float(info.config.get("timeout_seconds", self.timeout_seconds)),
            transport=transport,
            error_text=self.errors.text,
            status_of=self.errors.status,
            budget_key=info.id,
        )
