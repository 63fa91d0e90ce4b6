"""Lever's API, declared once (auth, paging, pace, quirks), and the lookups its streams and writes share."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.lever import mappers as m

Raw = dict[str, Any]

BASE_URL = "https://api.lever.co/v1"


def _invalid_offset(exc: RemoteError) -> bool:
    """Quirk: Lever can reject its own ``next`` token ("Invalid offset token"); the listing restarts."""
    return exc.status == 400 and "invalid offset" in exc.message.lower()


API = kit.VendorApi(
    base_url=BASE_URL,
    # Basic auth: the API key is the user name, the password is blank.
    auth=kit.Basic(kit.Secret("api_key", "API key", help="Settings > Integrations and API > API credentials.")),
    # ``{"data": [...], "hasNext": true, "next": "<opaque>"}``; ``limit`` is 1-100, the last page has no ``next``.
    pager=kit.BodyToken(token_path="next", more_path="hasNext", param="offset", size_param="limit", page_size=100),
    records_path="data",
    # Token bucket of ~10 requests/s per key (burst 20): pace below it; a 429 still backs off.
    rate=kit.RatePolicy(10, 1.0, concurrency=4),
    timeout_seconds=30.0,
    restart=kit.Restart(_invalid_offset, times=2),
    batch=25,  # opportunities whose sub-resources make one engine page
)

#: Every archive reason by id (hired ones too): an opportunity's outcome needs its reason's type.
ARCHIVE_REASONS: kit.Lookup[Raw] = kit.Lookup("archive_reasons")
#: The opportunities listed in this run (what their sub-resources' mappers need): the fan-out parents.
OPPORTUNITIES: kit.Lookup[Raw] = kit.Lookup("opportunities")


def opportunity_context(raw: Raw) -> Raw:
    """What sub-resource mappers need to know about their opportunity (``_opportunity``)."""
    apps = [{"id": a.get("id"), "posting": a.get("posting")} for a in m.expanded_applications(raw)]
    return {"id": raw["id"], "applications": apps}


def archive_reason_id(raw: Raw) -> object:
    return (raw.get("archived") or {}).get("reason")
