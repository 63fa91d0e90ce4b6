"""Jobvite's v2 API, declared once: a key pair in two headers, ``start``/``count`` paging, and errors that
arrive with HTTP 200 (``{"status": {"code": 401, "messages": [...]}}``), read back into their real status."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.errors import classify
from atsbridge.connectors.http.paginators import dig
from atsbridge.connectors.kit.auth import credential

BASE_URL = "https://api.jobvite.com/api/v2"
#: ``count`` is at most 500 [conn kippnorcal]; ``start`` is 0-based there (the v1 PDF says 1-based [3p]).
PAGE_SIZE = 500
CANDIDATES = kit.Offset(param="start", size_param="count", page_size=PAGE_SIZE, records_path="candidates")
REQUISITIONS = kit.Offset(param="start", size_param="count", page_size=PAGE_SIZE, records_path="requisitions")


def body_code(body: Any) -> int | None:
    """The ``status.code`` of a Jobvite envelope (None when the body carries none)."""
    code = dig(body, "status.code") if isinstance(body, dict) else None
    if isinstance(code, int) and not isinstance(code, bool):
        return code
    return int(code) if isinstance(code, str) and code.isdigit() else None


def body_messages(body: Any) -> str:
    messages = dig(body, "status.messages") if isinstance(body, dict) else None
    items = messages if isinstance(messages, list) else [messages] if messages else []
    return "; ".join(str(m) for m in items)[:300] or "no message"


class _KeyPairAuth(httpx.Auth):
    """``x-jvi-api`` + ``x-jvi-sc`` on every request. Jobvite sends refusals (bad key 401, throttle 429, bad
    input 400...) inside HTTP 200 bodies: the answer's status is set to the body's ``status.code`` here, the one
    place every response passes before the client's retry and classification (so a throttle is retried as a
    429 and a bad key is a 401 everywhere: listings, writes, the Connect check)."""

    requires_response_body = True

    def __init__(self, key: str, secret: str) -> None:
        self.key, self.secret = key, secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["x-jvi-api"] = self.key
        request.headers["x-jvi-sc"] = self.secret
        response = yield request
        if response.status_code != 200 or not response.content.lstrip().startswith(b"{"):
            return  # (the content type is not trusted: any JSON object body is read)
        try:
            code = body_code(orjson.loads(response.content))
        except ValueError:  # a cut-off body: the pager reports it
            return
        if code is not None and code >= 400:
            response.status_code = code


@dataclass(frozen=True)
class KeyPair:
    """Jobvite's static API key and secret (issued by Jobvite support), sent as headers [conn]."""

    key: FormField
    secret: FormField

    @property
    def fields(self) -> tuple[FormField, ...]:
        return (self.key, self.secret)

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return ()

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        return _KeyPairAuth(credential(info, self.key), credential(info, self.secret))


class JobviteErrors(kit.ErrorShape):
    """The body error path ``status.code``: any code other than 2xx is an error with its own meaning (401 ->
    INVALID, 429 -> rate limited...), whatever the HTTP status. Normally :class:`_KeyPairAuth` has already
    turned it into the answer's status; this check keeps a listed page honest if one slips through."""

    def check(self, response: httpx.Response, body: Any) -> None:
        code = body_code(body)
        if code is not None and not 200 <= code < 300:
            raise classify(code, body_messages(body))


API = kit.VendorApi(
    base_url=BASE_URL,
    auth=KeyPair(
        kit.Text("api_key", "API key", help="Issued by Jobvite support (Customer Success) with the secret."),
        kit.Secret("api_secret", "API secret"),
    ),
    pager=CANDIDATES,
    records_path="candidates",
    # 15 requests/minute and 850/hour per key pair, plus daily caps (GET candidate 20,000; requisition 500)
    # [3p Nango docs]; no rate headers. Paced at the strictest: 14/min = 840/h (under both), one at a time.
    rate=kit.RatePolicy(14, 60.0, concurrency=1),
    errors=JobviteErrors(
        body_error_path="status.code",
        invalid_token=("invalid api/secret",),
        rate_limited=("rate limit", "too many requests", "limit exceeded"),
    ),
    timeout_seconds=60.0,
    headers=(("Accept", "application/json"),),
    passthrough="v2",
)

#: workflow state eId -> name, seen on the applications listed in this run.
STAGES: kit.Lookup[str] = kit.Lookup("workflow_states")
#: user id -> the user object as embedded in a requisition (hiring managers, recruiters).
USERS: kit.Lookup[dict[str, Any]] = kit.Lookup("requisition_users")
