"""Pinpoint's API declared once: ``https://{subdomain}.pinpointhq.com/api/v1``, ``X-API-KEY``, JSON:API paging."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from atsbridge.connectors import kit

MEDIA_TYPE = "application/vnd.api+json"
PAGE_SIZE = 100
#: What each listing side-loads: relationships arrive with linkage only when included.
APPLICATION_INCLUDE = "candidate,job,stage,rejection_reason"

API = kit.VendorApi(
    base_url="https://{subdomain}.pinpointhq.com/api/v1",
    auth=kit.HeaderKey(
        "X-API-KEY",
        kit.Secret("api_key", "API key", help="Settings > Integrations > API key (Pinpoint shows it once)."),
    ),
    # JSON:API ``page[number]``/``page[size]``; the next page's full URL in ``links.next`` (absent on the last)
    pager=kit.NextUrl(path="links.next", size_param="page[size]", page_size=PAGE_SIZE),
    records_path="data",
    # no published limit [gap]: a modest pace, raised per integration (``requests_per_second``)
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    headers=(("Accept", MEDIA_TYPE), ("Content-Type", MEDIA_TYPE)),
    timeout_seconds=30.0,
)


class PinpointSource(kit.JsonApiSource):
    """The JSON:API source plus one tenant setting: applications of confidential jobs are left out of
    ``/applications`` unless ``filter[job_visibility]`` names ``confidential`` [doc]; ``config.job_visibility``
    (e.g. ``public,internal,confidential``) is sent on every applications listing when set."""

    async def listing(
        self, name: str, path: str, params: Mapping[str, Any] | None = None, **kw: Any
    ) -> kit.reads.Pages:
        params = dict(params or {})
        visibility = str(self.config.get("job_visibility") or "").strip()
        if visibility and path.rstrip("/").endswith("/applications"):
            params["filter[job_visibility]"] = visibility
        async for page in super().listing(name, path, params, **kw):
            yield page


def application_params(config: Mapping[str, Any]) -> dict[str, str]:
    """Query of a single-application GET: its side-loads and the tenant's job visibility."""
    params = {"include": APPLICATION_INCLUDE}
    visibility = str(config.get("job_visibility") or "").strip()
    if visibility:
        params["filter[job_visibility]"] = visibility
    return params
