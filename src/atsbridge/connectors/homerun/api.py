"""Homerun's public API v2, declared once: Bearer key, Laravel page numbers, 60 requests a minute."""

from __future__ import annotations

from atsbridge.connectors import kit

BASE_URL = "https://api.homerun.co/v2"

API = kit.VendorApi(
    base_url=BASE_URL,
    auth=kit.Bearer(
        kit.Secret(
            "api_key",
            "API key",
            help="app.homerun.co > Settings > Integrations > API: create a key with the scopes vacancies:read, "
            "job-applications:read, job-applications:write and job-application-notes:write.",
        )
    ),
    # ``page`` from 1, ``perPage`` 1-100; ``meta.last_page`` says when to stop (a short page does too)
    pager=kit.PageNumber(
        param="page", size_param="perPage", page_size=100, total_path="meta.last_page", records_path="data"
    ),  # fmt: skip
    records_path="data",
    # "We enforce a rate limit of 60 requests per minute" [doc]: no rate headers are documented
    rate=kit.RatePolicy(60, 60.0, concurrency=2),
    timeout_seconds=30.0,
    headers=(("Accept", "application/json"),),
    passthrough="v2",
)
