"""BambooHR's API, declared once (gateway URL per company, auth, paging, pace, error header), and the lookups
its streams and writes share."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.paginators import PageRequest
from atsbridge.connectors.kit.auth import credential

Raw = dict[str, Any]

GATEWAY = "https://api.bamboohr.com/api/gateway.php/{company_domain}/v1"
ATS = "/applicant_tracking"
#: Application details in flight at once (the pace still applies).
DETAIL_CONCURRENCY = 4
#: ``applicationStatus=ALL``: the default leaves out hired and inactive applications.
ALL_APPLICATIONS = {"applicationStatus": "ALL"}


@dataclass(frozen=True)
class KeyAsUser(kit.OneKey):
    """HTTP Basic with the API key as user name and ``x`` as password (what BambooHR documents); the kit's
    ``Basic`` sends a blank password."""

    key: FormField

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        return httpx.BasicAuth(credential(info, self.key), "x")


@dataclass(frozen=True)
class Pager:
    """``page=N`` until the body says ``paginationComplete`` or gives no ``nextPageUrl``; ``per_page`` is
    ignored (the server picks the size). The next page is asked by number (the ``nextPageUrl`` format is not
    documented), with the same filters."""

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, params={**(request.params or {}), "page": 1})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        if not isinstance(body, dict) or body.get("paginationComplete") or not body.get("nextPageUrl"):
            return None
        page = int((request.params or {})["page"])
        return replace(request, params={**(request.params or {}), "page": page + 1})


API = kit.VendorApi(
    # the company names the gateway URL: ``config["company_domain"]`` fills it unless ``base_url`` is set
    base_url=GATEWAY,
    auth=KeyAsUser(kit.Secret("api_key", "API key", help="Your profile menu > API Keys.")),
    # JSON only when asked: the default answer is XML
    headers=(("Accept", "application/json"),),
    # a 400 carries its message in this header with an empty body
    errors=kit.ErrorShape(message_header="x-bamboohr-error-message"),
    # limits are not published: pace at 10/s (``requests_per_second``), honour Retry-After on 429/503
    rate=kit.RatePolicy(10, 1.0, concurrency=DETAIL_CONCURRENCY),
    timeout_seconds=60.0,
)
#: The applications listing (the other lists are bare arrays without paging).
PAGER = Pager()
COMPANY_DOMAIN = FormField("company_domain", "Company domain", target="config", placeholder="acme",
                           help="The part before .bamboohr.com in your BambooHR address.")  # fmt: skip

#: employee id -> user id (jobs name their hiring lead by employee id).
EMPLOYEES: kit.Lookup[Any] = kit.Lookup("employees")
#: status id -> code, for the outcome (names and ids are configurable, codes are not).
STATUS_CODES: kit.Lookup[Any] = kit.Lookup("status_codes")


def status_id(raw: Raw) -> object:
    return (raw.get("status") or {}).get("id")


async def with_code(source: kit.KitSource, application: Raw) -> Raw:
    """The application with its status code attached (``_status_code``), as the mapper needs it."""
    codes = await source.lookup(STATUS_CODES)
    return {**application, "_status_code": codes.get(str(status_id(application)))}
