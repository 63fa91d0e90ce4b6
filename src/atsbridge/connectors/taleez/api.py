"""Taleez API (``https://api.taleez.com/0``): the secret key header, 0-based pages, 100 requests/minute."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.http.paginators import PageNumber

#: Pages count from 0 [doc]; ``{page, pageSize, listSize, list, totalSize?, hasMore?}``. A short page ends.
PAGER = PageNumber(param="page", size_param="pageSize", page_size=100, start=0, records_path="list")

API = kit.VendorApi(
    base_url="https://api.taleez.com/0",
    auth=kit.HeaderKey(
        "X-taleez-api-secret",
        kit.Secret("api_secret", "Secret API key", help="Settings > API & Webhooks: the secret key."),
    ),
    pager=PAGER,
    records_path="list",
    rate=kit.RatePolicy(100, 60.0),  # 100 requests per minute [doc]
    passthrough="0",
)

#: Candidates listed in this run: their applications are read per candidate (no cross-candidate listing).
CANDIDATES: kit.Lookup[dict[str, object]] = kit.Lookup("candidates")
