"""Onlyfy's public v1 REST API (ex Prescreen), declared once: ``apikey`` header, ``page``/``page_size`` pages of
``{"data": [...]}``, singular resource paths (``/job``, ``/candidate``, ``/application``...)."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

Raw = dict[str, Any]
BASE_URL = "https://api.prescreenapp.io/v1"
PAGE_SIZE = 100  # what the known clients send (``page_size=100``); the maximum is not published

API = kit.VendorApi(
    base_url=BASE_URL,
    # ``apikey: <key>`` (lower-case, as every known client sends it) [conn]; no OAuth, no acting user
    auth=kit.HeaderKey(
        "apikey",
        kit.Secret("api_key", "API key", help="onlyfy > Settings > Integrations > API: create an API key."),
        template="{}",
    ),
    # ``page`` (1-based) is the likely name [conn: unverified]; no total is known, a short page ends the listing
    pager=kit.PageNumber(param="page", size_param="page_size", page_size=PAGE_SIZE, records_path="data"),
    records_path="data",
    # no published budget: a conservative pace, 429s back off (``Retry-After`` honoured when sent)
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    timeout_seconds=30.0,
    headers=(("Accept", "application/json"),),
    passthrough="v1",
)

#: Tag id -> tag row (``/candidate_tag``): tag writes send ids, callers name tags.
TAGS: kit.Lookup[Raw] = kit.Lookup("candidate_tags")
