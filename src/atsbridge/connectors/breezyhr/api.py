"""Breezy HR's v3 API, declared once: a company-scoped base URL, ``Authorization: <token>`` with no scheme,
``page``/``page_size`` paging of bare JSON arrays, ``{"error": {"type", "message"}}`` errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.auth import HeaderAuth
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.auth import credential

BASE_URL = "https://api.breezy.hr/v3/company/{company_id}"
#: ``/company/{id}`` at the end of a base URL: the sign-in lives one level up, at ``/v3/signin``.
_COMPANY = re.compile(r"/company/[^/]*/?$")
Raw = dict[str, Any]


def _optional(field: FormField) -> FormField:
    return FormField(field.key, field.label, kind=field.kind, required=False, help=field.help)


@dataclass(frozen=True)
class TokenOrSignIn:
    """Breezy sends the bare token in ``Authorization`` (no ``Bearer``) [doc][conn]. Either a personal access
    token (``breezy_pat_...``, My Settings > API Keys) is used as is, or, without one, ``POST /v3/signin``
    ``{"email", "password"}`` gives a session ``access_token`` [doc][conn Nango], renewed once on a 401."""

    token: FormField
    email: FormField
    password: FormField

    @property
    def fields(self) -> tuple[FormField, ...]:
        return (_optional(self.token), _optional(self.email), _optional(self.password))

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return ()

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        token = credential(info, self.token)
        if token or not credential(info, self.email):  # nothing given: Breezy answers missingAccessToken
            return HeaderAuth("Authorization", token)
        login = kit.SessionLogin("/signin", {"email": self.email, "password": self.password},
                                 token_path="access_token", template="{}")  # fmt: skip
        return login.build(info, _COMPANY.sub("", base_url.rstrip("/")), transport)


API = kit.VendorApi(
    base_url=BASE_URL,
    auth=TokenOrSignIn(
        kit.Secret("api_token", "API token", help="Breezy HR > My Settings > API Keys (breezy_pat_...)."),
        kit.Text("email", "Email (instead of a token)", help="A Breezy HR user's sign-in email."),
        kit.Secret("password", "Password (instead of a token)"),
    ),
    # page_size at most 50 [3p Lava gateway notes]
    pager=kit.PageNumber(param="page", size_param="page_size", page_size=50),
    # 100 requests per 60 s per token [3p Lava gateway notes]; a 429 waits until X-RateLimit-Reset [conn]
    rate=kit.RatePolicy(100, 60.0, concurrency=3),
    errors=kit.ErrorShape(invalid_token=("invalidAccessToken", "missingAccessToken")),
    timeout_seconds=30.0,
    headers=(("Accept", "application/json"),),
    passthrough="v3",
)

#: position id -> ``{"_id", "pipeline_id"}`` (positions listed in this run).
POSITIONS: kit.Lookup[Raw] = kit.Lookup("positions")
#: pipeline id -> its stages in order.
PIPELINES: kit.Lookup[list[Raw]] = kit.Lookup("pipelines")


def position_path(position_id: object) -> str:
    """``/position/<id>``, the id URL-quoted (ids come from the vendor or the caller: untrusted text)."""
    return f"/position/{quote(str(position_id), safe='')}"


def candidate_path(position_id: object, candidate_id: object) -> str:
    return f"{position_path(position_id)}/candidate/{quote(str(candidate_id), safe='')}"


def split_application(remote_id: object) -> tuple[str, str]:
    """``"<position id>:<candidate id>"`` -> the two ids (both checked: they go into a URL)."""
    position, _, candidate = str(remote_id or "").partition(":")
    if not (re.fullmatch(r"[\w-]{1,64}", position) and re.fullmatch(r"[\w-]{1,64}", candidate)):
        raise RemoteError("REMOTE.INPUT_INVALID", f"{remote_id!r} is not a Breezy HR application id")
    return position, candidate


#: tag name -> ``{"name"}`` (the tags of the candidates listed in this run).
TAGS: kit.Lookup[Raw] = kit.Lookup("tags")
