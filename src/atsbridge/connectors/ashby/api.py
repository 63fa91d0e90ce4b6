"""Ashby's API, declared once: RPC ``POST /<category>.<method>``, Basic auth with the key, body-cursor paging,
errors inside HTTP 200 bodies (classified by :mod:`rpc`), and the lookups its streams share."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.ashby import rpc
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.kit.reads import Listed, Pages

log = logging.getLogger("atsbridge.connectors.ashby")

Raw = dict[str, Any]


class AshbyErrors(kit.ErrorShape):
    """Ashby's error conventions (:mod:`rpc`): ``success: false`` bodies get the contract's precise codes, and
    a 403 that does not speak of a permission is a wrong or deactivated key."""

    def status(self, response: httpx.Response) -> int:
        if response.status_code == 403 and "permission" not in self.text(response).lower():
            return 401
        return response.status_code

    def check(self, response: httpx.Response, body: Any) -> None:
        rpc.check(response, body)


API = kit.VendorApi(
    base_url="https://api.ashbyhq.com",
    # Basic auth: the API key is the user name, the password is blank (the docs' way).
    auth=kit.Basic(kit.Secret("api_key", "API key", help="Admin > Integrations > API Keys.")),
    pager=rpc.PAGER,
    records_path="results",
    # Ashby publishes no limit: 10/s, and a 429 with Retry-After is honoured.
    rate=kit.RatePolicy(10, 1.0, concurrency=4),
    errors=AshbyErrors(),
    headers=(("Accept", "application/json; version=1"),),
    batch=25,  # candidates whose notes make one engine page
)

#: Every ``*.list`` hands out a ``syncToken`` on its last page; sent back, only changes are listed.
TOKEN = kit.SyncToken("syncToken", "syncToken", in_body=True)

#: Global roles the users listing saw, and hiring-team roles the jobs listing saw (Ashby lists no roles).
GLOBAL_ROLES: kit.Lookup[bool] = kit.Lookup("global_roles")
TEAM_ROLES: kit.Lookup[bool] = kit.Lookup("team_roles")
#: Candidates listed in this run: what notes and files need (id, application ids, file handles).
CANDIDATES: kit.Lookup[Raw] = kit.Lookup("candidates")
#: Interview definition id -> title (``interview.list``), for scheduled interviews.
INTERVIEW_TITLES: kit.Lookup[object] = kit.Lookup("interview_titles")


def listed(method: str, body: Raw | None = None, *, token: bool = True) -> Listed:
    """One RPC listing, token-aware unless ``token=False``."""
    return kit.Listed(f"/{method}", method="POST", body=dict(body or {}), since=TOKEN if token else None)


def seen(field: str, *, under: str | None = None) -> Callable[[dict[Any, bool], Raw], None]:
    """A fold adding each non-empty ``field`` (of each item of ``under`` when given) to a set-like table."""

    def fold(table: dict[Any, bool], raw: Raw) -> None:
        items = raw.get(under) or [] if under else [raw]
        for item in items if isinstance(items, list) else []:
            value = item.get(field) if isinstance(item, dict) else None
            if isinstance(value, str) and value.strip():
                table[value] = True

    return fold


class AshbySource(kit.KitSource):
    """The kit source, plus Ashby's one listing quirk the kit cannot declare: an expired ``syncToken`` is
    refused, and that listing starts over in full (unchanged records are not rewritten)."""

    async def _listed(self, name: str, read: Listed, since: datetime | None) -> Pages:
        try:
            async for page in super()._listed(name, read, since):
                yield page
            return
        except rpc.SyncTokenExpired:
            if since is None or not self.sync_tokens_in.get(name):
                raise
            log.warning("%s: Ashby's syncToken expired; listing everything again", name)
        async for page in super()._listed(name, read, None):
            yield page


def open_source(info: IntegrationInfo, sync_tokens: dict[str, str] | None = None) -> AshbySource:
    """A source asking for changes only on the streams ``sync_tokens`` (stream -> token) names; the tokens it
    receives are in ``source.sync_tokens`` (the engine stores them once the stream's pages committed)."""
    from atsbridge.connectors.ashby.streams import STREAMS  # streams import this module

    tokens = info.stream_state if sync_tokens is None else sync_tokens
    return AshbySource(API, API.client(info), info.config, streams=kit.resolve(STREAMS), sync_tokens=tokens,
                       info=info)  # fmt: skip
