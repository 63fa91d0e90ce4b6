"""Teamtailor's API declared once (auth, stack, version header, paging, pace), the JSON:API source and the
lookups its streams and writes share."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.teamtailor.jsonapi import MEDIA_TYPE, PAGE_SIZE, Resource, index, primary, with_included
from atsbridge.core.timeutil import format_ts

log = logging.getLogger("atsbridge.connectors.teamtailor")

HOSTS = {"eu": "https://api.teamtailor.com/v1", "na": "https://api.na.teamtailor.com/v1"}
#: The version current integrations pin (the Go SDK's default); any later date works too.
API_VERSION = "20240904"
REQUESTS_PER_10S = 50


def base_url(config: Mapping[str, Any]) -> str:
    """``config.base_url``, else the ``config.region`` stack (``eu`` default, ``na``)."""
    if config.get("base_url"):
        return str(config["base_url"]).rstrip("/")
    region = str(config.get("region") or "eu").lower()
    if region not in HOSTS:
        log.warning("unknown Teamtailor region %r; using the EU stack", region)
    return HOSTS.get(region, HOSTS["eu"])


@dataclass(frozen=True)
class TeamtailorApi(kit.VendorApi):
    """The kit's API plus three per-integration settings the kit does not know: ``region`` (the stack; a key
    on the wrong one answers 401), ``api_version`` (``X-Api-Version``, 406 without it) and ``requests_per_10s``
    (Teamtailor states its budget per 10 s)."""

    def client(self, info: IntegrationInfo, transport: httpx.AsyncBaseTransport | None = None) -> HttpClient:
        config = info.config
        pace = max(int(config.get("requests_per_10s") or REQUESTS_PER_10S), 1)
        plain = kit.VendorApi(**{f.name: getattr(self, f.name) for f in fields(kit.VendorApi)})
        plain = replace(
            plain,
            base_url=base_url(config),
            headers=(*self.headers, ("X-Api-Version", str(config.get("api_version") or API_VERSION))),
            rate=kit.RatePolicy(pace, 10.0),
        )
        return plain.client(replace(info, config={k: v for k, v in config.items() if k != "base_url"}), transport)


API = TeamtailorApi(
    base_url=HOSTS["eu"],
    auth=kit.HeaderKey(
        "Authorization",
        kit.Secret("api_key", "API key", help="Settings > Integrations > API keys (Admin, read+write)."),
        template="Token token={}",
    ),
    # ``page[size]`` at most 30 (default 10); ``links.next`` keeps the filters and includes
    pager=kit.NextUrl(path="links.next", size_param="page[size]", page_size=PAGE_SIZE),
    records_path="data",
    rate=kit.RatePolicy(REQUESTS_PER_10S, 10.0),
    headers=(("Accept", MEDIA_TYPE), ("Content-Type", MEDIA_TYPE)),  # writes must be JSON:API documents
    timeout_seconds=30.0,
)


class TeamtailorSource(kit.KitSource):
    """Escape hatch (one method): JSON:API rows need their page's ``included`` resources (linkage is resolved
    from them), which a records path drops, and ``/notes`` wraps each row (``{"notes": [{"data": ...}]}``).
    So every listing's rows are rebuilt from the page body, with ``_included`` attached."""

    async def listing(
        self, name: str, path: str, params: Mapping[str, Any] | None = None, **kw: Any
    ) -> kit.reads.Pages:
        bodies: list[Any] = []
        outer: Callable[[Any], None] | None = kw.pop("on_body", None)

        def keep(body: Any) -> None:
            bodies.append(body)
            if outer is not None:
                outer(body)

        kw["records_path"] = "data"  # absent on /notes: the rows come from the body below
        async for _ in super().listing(name, path, params, on_body=keep, **kw):
            body = bodies.pop() if bodies else {}
            if not isinstance(body, dict):
                raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"{name}: expected a JSON:API document")
            table = index(body.get("included"))
            yield [with_included(r, table) for r in primary(body)]

    async def one(self, path: str, params: Mapping[str, Any] | None = None) -> Resource | None:
        """One resource (with its included ones attached), or None when Teamtailor answers 404."""
        try:
            body = await self.get_json(path, params)
        except RemoteError as exc:
            if exc.status == 404:
                return None
            raise
        found = primary(body) if isinstance(body, dict) else []
        return with_included(found[0], index(body.get("included"))) if found else None


def opener(streams: Sequence[kit.KitStream]) -> Callable[[IntegrationInfo], TeamtailorSource]:
    """``kit.opener`` with :class:`TeamtailorSource`."""
    ordered = kit.resolve(streams)

    def open_source(info: IntegrationInfo) -> TeamtailorSource:
        return TeamtailorSource(API, API.client(info), info.config, streams=ordered, info=info)

    return open_source


#: ``filter[updated-at][from]`` (inclusive), documented on candidates and job applications only.
UPDATED_SINCE = kit.Since("filter[updated-at][from]", format_ts)

JOB_QUESTIONS: kit.Lookup[list[str]] = kit.Lookup("job_questions")  # job id -> question ids it asks
USER_ROLES: kit.Lookup[str] = kit.Lookup("user_roles")  # role values users hold
TAGS: kit.Lookup[str] = kit.Lookup("tags")  # tags of the candidates this run listed
RESUMES: kit.Lookup[str] = kit.Lookup("resumes")  # candidates this run listed that have a resume
