"""Fountain's API v2, declared once: the private key in ``X-ACCESS-TOKEN``, two paging styles, the stage table.

* Applicants (``GET /v2/applicants``): cursor paging, ``{"applicants": [...], "pagination": {"current_cursor",
  "next_cursor"}}``, the next page as ``?cursor=`` [conn: the Ruby ``fountain`` gem]; ``per_page`` (max 100,
  default 20) is [3p]. This is the API default pager.
* Funnels (``GET /v2/funnels``): page numbers, ``{"funnels": [...], "pagination": {"first", "previous",
  "current", "next", "last"}}`` with ``next`` blank on the last page [doc, recorded]: the pager follows
  ``pagination.next`` as ``?page=``.
* Hosts: ``https://api.fountain.com/v2``, or ``https://<region>.fountain.com/api/v2`` for accounts on a
  regional host (``us-2``...) [doc: "Tenant API URLs"]: ``FountainApi``.
* Rate limits are not published [3p]: a modest pace (5/s, two in flight), overridable per integration; 429s
  are retried after their ``Retry-After``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.kit.api import fill_base_url

Raw = dict[str, Any]

BASE_URL = "https://api.fountain.com/v2"
#: Accounts hosted in another region log in at ``<region>.fountain.com`` and call ``/api/v2`` there [doc].
REGIONAL_URL = "https://{region}.fountain.com/api/v2"


@dataclasses.dataclass(frozen=True)
class FountainApi(kit.VendorApi):
    """The default host, or the regional one when the integration names a ``region`` (``us-2``); the region is
    slug-checked by the kit before it reaches the host name. An explicit ``base_url`` still wins."""

    def client(self, info: IntegrationInfo, transport: httpx.AsyncBaseTransport | None = None) -> HttpClient:
        if info.config.get("region") and not info.config.get("base_url"):
            regional = fill_base_url(REGIONAL_URL, info.config)
            info = dataclasses.replace(info, config={**info.config, "base_url": regional})
        return super().client(info, transport)


API = FountainApi(
    base_url=BASE_URL,
    auth=kit.HeaderKey(
        "X-ACCESS-TOKEN",
        kit.Secret(
            "api_key",
            "Private API key",
            help="Fountain: Settings > API > Private API key (a public key can only create applicants).",
        ),
    ),  # fmt: skip
    pager=kit.BodyToken(
        token_path="pagination.next_cursor", more_path=None, param="cursor", size_param="per_page", page_size=100
    ),  # fmt: skip
    records_path="applicants",
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    timeout_seconds=30.0,
    headers=(("Accept", "application/json"),),
    passthrough="v2",
)

#: ``pagination.next`` is the next page number, ``""`` on the last page.
FUNNEL_PAGER = kit.BodyToken(token_path="pagination.next", more_path=None, param="page", size_param=None)

#: stage id -> ``{"type", "title", "index", "funnel_id"}`` from the funnels' embedded stages (an applicant's
#: ``stage`` carries only ``id`` and ``title``; its outcome needs the stage ``type``).
STAGES: kit.Lookup[Raw] = kit.Lookup("stages")


def fold_stages(table: dict[Any, Raw], funnel: Raw) -> None:
    for index, stage in enumerate(funnel.get("stages") or []):
        if isinstance(stage, dict) and stage.get("id"):
            table[str(stage["id"])] = {"type": stage.get("type"), "title": stage.get("title"), "index": index,
                                       "funnel_id": funnel.get("id")}  # fmt: skip


def stage_id(applicant: Raw) -> object:
    stage = applicant.get("stage")
    return stage.get("id") if isinstance(stage, dict) else None
