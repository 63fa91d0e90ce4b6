"""JOIN's API v2, declared once: the raw token in ``Authorization``, page numbers over bare arrays."""

from __future__ import annotations

from atsbridge.connectors import kit

BASE_URL = "https://api.join.com/v2"

API = kit.VendorApi(
    base_url=BASE_URL,
    # the token as is, **no** "Bearer" scheme [doc]; a Bearer-prefixed token is refused
    auth=kit.HeaderKey(
        "Authorization",
        kit.Secret("api_token", "API token", help="JOIN app > User settings > API credentials > Generate new token."),
    ),
    # ``page`` from 1 and ``pageSize`` (at most 50 [3p]); the body is a bare array: a short page ends the listing
    pager=kit.PageNumber(param="page", size_param="pageSize", page_size=50),
    records_path=None,
    # no published numbers [3p]: a modest pace until JOIN's x-ratelimit-* headers take over
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    timeout_seconds=30.0,
    headers=(("Accept", "application/json"),),
    passthrough="v2",
)
