"""Bullhorn's REST API, declared once: the OAuth + session login, ``start``/``count`` paging.

Auth is three steps [doc ``_authorization.md``, ``_login.md``], declared as a ``kit.OAuthSession``: an OAuth
access token (10 minutes) from ``{auth}/oauth/token`` — by the single-use refresh token (``bullhorn``) or by an
authorization code atsbridge obtains itself with the API user's name and password (``bullhornlogin``:
``/oauth/authorize`` with ``action=Login``, the code read from the redirect's ``Location``) — then
``GET /rest-services/login?version=*&access_token=`` answers ``{"BhRestToken", "restUrl"}``. Every later request
goes to that ``restUrl`` (the tenant's data centre and corporation token) with the ``BhRestToken`` header. A 401
means the session died: a new access token and a new login, once. A rotated refresh token is saved (encrypted)
before it is used further. Wrong data centre: Bullhorn answers 307 to the right one [doc]; it is followed.
Token parameters travel in the query string as Bullhorn documents them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest

AUTH_URL = "https://auth.bullhornstaffing.com/oauth"
BASE_URL = "https://rest.bullhornstaffing.com/rest-services"
PAGE = 500  # the largest ``count`` in common use [3p]; a smaller server cap is tolerated by the pager


@dataclass(frozen=True)
class StartCount:
    """``start``/``count``; ``start`` advances by the rows actually served (a server cap below ``count`` is
    not mistaken for the end); ends at ``total`` when the answer has one, else on an empty page."""

    page_size: int = PAGE

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, params={**(request.params or {}), "start": 0, "count": self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        rows = body.get("data") if isinstance(body, dict) else None
        if not isinstance(rows, list):  # never read as "the end": a full sync would mark the rest deleted
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{request.url}: the page has no data list")
        if not rows:
            return None
        start = int((request.params or {}).get("start", 0)) + len(rows)
        total = body.get("total")
        if isinstance(total, int) and start >= total:
            return None
        return replace(request, params={**(request.params or {}), "start": start})


CLIENT = (
    kit.Text("client_id", "Client ID", help="Issued by Bullhorn Support with your redirect URI."),
    kit.Secret("client_secret", "Client secret"),
)
SESSION = kit.OAuthSession(
    AUTH_URL,
    "login",
    *CLIENT,
    login_params=(("version", "*"),),
    session_path="BhRestToken",
    base_url_path="restUrl",
    header="BhRestToken",
    refresh_token=kit.Secret(
        "refresh_token",
        "Refresh token",
        help="From the OAuth authorization of the API user (rotated and saved on every use).",
    ),
)
API = kit.VendorApi(
    base_url=BASE_URL,
    auth=SESSION,
    pager=StartCount(),
    records_path="data",
    # 429 "wait 1 second then retry" [doc]; the limit itself is per API user and concurrency-based [3p]
    rate=kit.RatePolicy(10, 1.0, concurrency=2),
    timeout_seconds=60.0,
)
LOGIN_API = replace(
    API,
    auth=replace(
        SESSION,
        refresh_token=None,
        authorize_params=(("action", "Login"),),
        username=kit.Text("username", "API user name"),
        password=kit.Secret("password", "API user password"),
    ),
)


def entity_id(value: Any) -> str | None:
    """The id of a to-one association (``{"id": 1, ...}``), as a string."""
    found = value.get("id") if isinstance(value, dict) else None
    return str(found) if found is not None and found != "" else None
