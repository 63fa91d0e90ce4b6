"""TalentLink's REST proxy, declared once: three credentials in two headers and the query string, and listings
asked as a GraphQL-like ``query`` URL parameter, answered as an NDJSON stream (``stream=true``)."""

from __future__ import annotations

import json
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.kit.auth import credential
from atsbridge.connectors.kit.ndjson import PageParams

Raw = dict[str, Any]
BASE_URL = "https://apiproxy.shared.lumessetalentlink.com/tlk/rest"
PAGE_SIZE = 100  # ``first`` is at most 100 [conn]

#: The fields asked for each resource (the query must name them; unnamed ones are not sent) [conn].
CANDIDATE_FIELDS = ("id", "firstname", "lastname", "email", "srcChannelName", "origin", "creation", "update",
                    "status", "anonymous", "partiallyDeleted", "address", "tags", "applications",
                    "attachments")  # fmt: skip
APPLICATION_FIELDS = ("id", "sourceChannelName", "creation", "update", "applicationDate", "status", "memo",
                      "shortListed", "archived", "activeApplication", "completionReason", "statusComment",
                      "candidate", "opening", "score")  # fmt: skip
ADVERT_FIELDS = ("id", "status", "postingStartDate", "postingEndDate", "creationDate", "updateDate", "jobAdTitle",
                 "advertId", "opening", "jobLocations", "customFields", "lovs", "remote", "hybrid",
                 "onSite")  # fmt: skip


def _value(value: Any) -> str:
    """A ``where`` value: numbers and booleans bare, text as a JSON string."""
    return (
        json.dumps(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    )


def graph_query(entity: str, fields: tuple[str, ...]) -> PageParams:
    """``{ candidates(first: 100, after: 0, sortBy: id, orderBy: ASC, where: {update_ge: ...}) {id, ...} }``:
    the listing's params (the ``Since`` filter ``update_ge``...) become the ``where`` clause."""

    def params(listing: Mapping[str, Any], size: int, offset: int) -> dict[str, Any]:
        where = ", ".join(f"{k}: {_value(v)}" for k, v in sorted(listing.items()))
        clause = f", where: {{{where}}}" if where else ""
        args = f"first: {size}, after: {offset}, sortBy: id, orderBy: ASC{clause}"
        return {"query": f"{{ {entity}({args}) {{{', '.join(fields)}}} }}", "stream": "true"}

    return params


def pager(entity: str, fields: tuple[str, ...]) -> kit.NdjsonPages:
    return kit.NdjsonPages(f"data.{entity}", PAGE_SIZE, graph_query(entity, fields))


CANDIDATES = pager("candidates", CANDIDATE_FIELDS)
APPLICATIONS = pager("applications", APPLICATION_FIELDS)
ADVERTS = pager("publishedAdverts", ADVERT_FIELDS)


class _UserKeyAuth(httpx.Auth):
    def __init__(self, user: str, password: str, api_key: str) -> None:
        self.user, self.password, self.api_key = user, password, api_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["username"] = self.user
        request.headers["password"] = self.password
        request.url = request.url.copy_merge_params({"api_key": self.api_key})
        yield request


@dataclass(frozen=True)
class UserKey:
    """Headers ``username`` (``Company:user:BO``) and ``password``, plus ``?api_key=`` [conn]. The back-office
    persona (``BO``) is used for every call; the front-office one (``FO``) is not needed for reading."""

    company: FormField
    username: FormField
    password: FormField
    api_key: FormField
    persona: str = "BO"

    @property
    def fields(self) -> tuple[FormField, ...]:
        return (self.company, self.username, self.password, self.api_key)

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return ()

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        user = f"{credential(info, self.company)}:{credential(info, self.username)}:{self.persona}"
        return _UserKeyAuth(user, credential(info, self.password), credential(info, self.api_key))


API = kit.VendorApi(
    base_url=BASE_URL,
    auth=UserKey(
        kit.Text("company", "Company", help="The TalentLink company name (the first part of the API user name)."),
        kit.Text(
            "username",
            "API user",
            help="A user with the Webservices, Basic access, Functional manager and Standard Recruiter roles.",
        ),  # fmt: skip
        kit.Secret("password", "Password"),
        kit.Secret("api_key", "API key", help="Issued by Cornerstone (production keys need their approval)."),
    ),
    pager=CANDIDATES,
    records_path="data.candidates",
    rate=kit.RatePolicy(5, 1.0, concurrency=2),  # not published [gap]: a cautious pace, 429s back off
    errors=kit.ErrorShape(invalid_token=("invalid api key", "bad credentials"), rate_limited=("rate limit",)),
    timeout_seconds=60.0,
    passthrough="rest",
)
