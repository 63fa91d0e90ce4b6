"""d.vinci's ATS REST API ("restApi"), declared once: two API-user headers, the customer's own host, no
paging (every list is one bare JSON array), and the lookups the streams share."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.kit.auth import credential

Raw = dict[str, Any]


class _Headers(httpx.Auth):
    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(self.headers)
        yield request


@dataclass(frozen=True)
class ApiUser:
    """``Dvinci-API-User: <user name>`` and ``Dvinci-API-Token: <token>`` on every request (the doc's
    "Dvinci_Header" scheme) [doc]."""

    user: FormField
    token: FormField

    @property
    def fields(self) -> tuple[FormField, ...]:
        return (self.user, self.token)

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return ()

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        user, token = credential(info, self.user), credential(info, self.token)
        return _Headers({"Dvinci-API-User": user, "Dvinci-API-Token": token})


#: The customer's d.vinci host (``acme.dvinci.de``, ``acme.dvinci-hr.com``, ``acme.dvinci-easy.com`` or a custom
#: domain): the reference says a full host, not a subdomain, so the form asks for the host.
HOST = FormField(
    "host", "d.vinci host", target="config", placeholder="acme.dvinci-hr.com",
    help="The host of your d.vinci system, as in https://<host>/restApi (e.g. acme.dvinci.de).",
)  # fmt: skip

#: ``languageId`` of the applications created through the API (mandatory there [doc]); ``de`` when not set.
LANGUAGE = FormField("language_id", "Language of created applications", target="config", required=False,
                     advanced=True, placeholder="de", help="A d.vinci language id such as de or en.")  # fmt: skip

API = kit.VendorApi(
    base_url="https://{host}/restApi",
    auth=ApiUser(
        kit.Text("api_user", "API user name", help="Users > API users: the user name of an API user with read "
                 "(and, for writes, edit) roles; its org unit limits what it sees."),
        kit.Secret("api_token", "API token", help="Shown once when the API user's token is generated."),
    ),  # fmt: skip
    pager=kit.Single(),  # no paging: every list endpoint answers one bare array of all permitted records [doc]
    records_path=None,
    # 429 "Please contact us ..." with no numbers and no Retry-After [doc]: a modest pace, backed off on 429
    rate=kit.RatePolicy(5, 1.0, concurrency=4),
    timeout_seconds=120.0,  # unpaged lists of a whole tenant are large
    headers=(("Accept", "application/json"),),
    passthrough="rest-api",
)

#: application id -> {"person": person id}: the parents of attachments and history entries.
APPLICATIONS: kit.Lookup[Raw] = kit.Lookup("applications")
#: application status internal name -> True (d.vinci lists no statuses: they are learnt from applications).
STATUSES: kit.Lookup[bool] = kit.Lookup("statuses")
#: rejection code internal name -> True (likewise: no rejection code listing).
REJECTIONS: kit.Lookup[bool] = kit.Lookup("rejection_codes")
#: person keyword -> True (keywords are d.vinci's only tags).
KEYWORDS: kit.Lookup[bool] = kit.Lookup("keywords")


def detail(row: Raw) -> Raw:
    """The full application (``GET /applications/{id}``) when the sync read it, else the slim list row."""
    found = row.get("_detail")
    return found if isinstance(found, dict) else row


def ref_id(value: Any) -> Any:
    """``{"id": 1, "externalId": ...}`` -> 1."""
    return value.get("id") if isinstance(value, dict) else None
