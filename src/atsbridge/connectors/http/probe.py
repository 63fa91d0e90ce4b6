"""The credential check of the hosted Connect page: one authenticated read, no retries, and a failure
explained to the end customer in terms of the form they just filled in.

Connectors call :func:`probe` from their ``connect.verify`` with their own client (shared auth and
headers), so a check that passes here is the same request a sync would make.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError

#: Seconds per request during a check: the end customer is waiting in front of the form.
CHECK_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Explain:
    """What to tell the end customer per kind of failure (``label``: the tool's name)."""

    label: str
    #: 401 / refused OAuth client: which fields are likely wrong ("this client ID and secret").
    refused: str
    #: 403: authenticated but without the needed permission.
    forbidden: str = ""
    #: 404: usually a wrong account, subdomain or company id.
    not_found: str = ""
    #: Answer bodies that mean "bad credentials" whatever the status (Ashby: 403 ``invalid_api_key``).
    refused_when: tuple[str, ...] = ()


def _chain(cause: BaseException | None) -> list[BaseException]:
    """The exception and what caused it (async transports keep the OS error a level or two down)."""
    seen: list[BaseException] = []
    while cause is not None and cause not in seen and len(seen) < 6:
        seen.append(cause)
        cause = cause.__cause__ or cause.__context__
    return seen


def _reason(cause: BaseException | None) -> str:
    chain = _chain(cause)
    text = " ".join(f"{type(e).__name__} {e}" for e in chain).lower()
    if any(isinstance(e, httpx.TimeoutException | TimeoutError) for e in chain):
        return "the connection timed out"
    if "refused" in text:
        return "connection refused"
    if any(word in text for word in ("name or service not known", "nodename", "gaierror", "name resolution")):
        return "no such host"
    if "ssl" in text or "certificate" in text:
        return "the TLS certificate was not accepted"
    return type(cause).__name__ if cause is not None else "no answer"


def _host(cause: BaseException | None, fallback: str) -> str:
    if isinstance(cause, httpx.RequestError):
        try:
            return cause.request.url.host or fallback
        except RuntimeError:  # an error raised before its request was attached
            return fallback
    return fallback


def explain(exc: RemoteError, how: Explain, base_url: str) -> str:
    """One sentence naming what is most likely wrong; never includes a credential."""
    status = exc.status
    if status is None and exc.code == "REMOTE.SERVICE_UNAVAILABLE":
        cause = exc.__cause__
        host = _host(cause, httpx.URL(base_url).host or base_url)
        return f"Could not reach {host}: {_reason(cause)}"
    refused_body = any(marker in (exc.body or "") for marker in how.refused_when)
    if status in (400, 401) or exc.code == "INTEGRATION.AUTHENTICATION_INVALID" or refused_body:
        return f"{how.label} refused {how.refused} ({status or 401})"
    if status == 403:
        return how.forbidden or f"{how.label} accepted the credentials but denied access (403): check their permissions"
    if status == 404:
        return how.not_found or f"{how.label} has no such account (404): check the account details"
    if status == 429:
        return f"{how.label} is limiting requests right now (429): please try again in a minute"
    if status is not None and status >= 500:
        return f"{how.label} failed to answer ({status}): please try again later"
    return f"{how.label} did not accept the request ({status}): check the details you entered"


async def probe(
    client: HttpClient,
    path: str,
    how: Explain,
    *,
    method: str = "GET",
    params: Mapping[str, Any] | None = None,
    json: Any = None,
) -> httpx.Response:
    """Send one request without retries and close the client; a failure raises ``ValueError`` (the message)."""
    try:
        return await client.request(method, path, params=params, json=json, retry=False)
    except RemoteError as exc:
        raise ValueError(explain(exc, how, client.base_url)) from None
    finally:
        await client.aclose()
