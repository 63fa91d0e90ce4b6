"""Welcome to the Jungle's (Welcome Kit's) external API, declared once: a Bearer token WTTJ issues on request,
``page``/``per_page`` paging with the page count in the ``X-Total-Pages`` header, bare-array answers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.paginators import PageRequest

BASE_URL = "https://www.welcomekit.co/api/v1/external"
Raw = dict[str, Any]


@dataclass(frozen=True)
class TotalPages:
    """``page`` (1-based) and ``per_page``; the last page is the one numbered ``X-Total-Pages`` [doc]. Without
    the header (never seen, but parsed defensively) a short or empty page ends the listing."""

    page_size: int = 100

    def first(self, request: PageRequest) -> PageRequest:
        return replace(request, params={**(request.params or {}), "page": 1, "per_page": self.page_size})

    def next(self, request: PageRequest, response: httpx.Response, body: Any) -> PageRequest | None:
        page = int((request.params or {})["page"])
        total = response.headers.get("X-Total-Pages", "")
        if total.strip().isdigit():
            if page >= int(total):
                return None
        elif not isinstance(body, list) or len(body) < self.page_size:
            return None
        return replace(request, params={**(request.params or {}), "page": page + 1})


API = kit.VendorApi(
    base_url=BASE_URL,
    auth=kit.Bearer(kit.Secret("api_key", "API token",
                               help="Issued by Welcome to the Jungle on request (scopes jobs_r, candidates_rw, "
                                    "comments_w); sent as Authorization: Bearer.")),  # fmt: skip
    pager=TotalPages(),
    records_path=None,
    # no limit is published and no rate headers were seen [3p]: a modest pace, changed per integration
    rate=kit.RatePolicy(5, 1.0, concurrency=3),
    timeout_seconds=30.0,
    headers=(("Accept", "application/json"),),
)

#: job reference -> the job (as listed with its stages); every job of the configured organizations.
JOBS: kit.Lookup[Raw] = kit.Lookup("jobs")
#: office id -> office (``{id, name, address, zip_code, city, country_code, is_headquarter}``), department id ->
#: department (``{id, name, ...}``): a job names them by id only.
OFFICES: kit.Lookup[Raw] = kit.Lookup("offices")
DEPARTMENTS: kit.Lookup[Raw] = kit.Lookup("departments")
#: tag name -> name, from the candidates read in this run (tags have no listing).
TAGS: kit.Lookup[str] = kit.Lookup("tags")


def organizations(config: dict[str, Any]) -> list[str]:
    """The organization references of the integration (comma-separated: one token may serve several)."""
    refs = [r.strip() for r in str(config.get("organization_reference") or "").split(",") if r.strip()]
    if not refs:
        raise RemoteError("REMOTE.INPUT_INVALID", "organization_reference is not configured", status=400)
    return refs


async def candidate(source: kit.KitSource, reference: str) -> Raw:
    """``GET /candidates/:reference`` with its stage and tags (as the list serves them)."""
    body = await source.get_json(f"/candidates/{quote(reference, safe='')}", {"stage": "true", "tags": "true"})
    if not isinstance(body, dict) or not body.get("reference"):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Welcome to the Jungle sent no candidate {reference}")
    return body


async def job(source: kit.KitSource, reference: str) -> Raw:
    """``GET /jobs/:reference?stages=true``: the job with its pipeline."""
    body = await source.get_json(f"/jobs/{quote(reference, safe='')}", {"stages": "true"})
    if not isinstance(body, dict) or not body.get("reference"):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Welcome to the Jungle sent no job {reference}")
    return body
