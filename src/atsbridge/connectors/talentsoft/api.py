"""The Recruiting FrontOffice API v2 (``https://<front-office host>/api/v2``), declared once.

Lists are ``{"data": [...]}`` with a ``count`` page size [conn]; the start position ``start`` is [gap] (the one
client seen asks for everything at once with a large ``count``): a short page ends the listing.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.talentsoft import common

Raw = dict[str, Any]

PAGER = kit.Offset(param="start", size_param="count", page_size=100, records_path="data")

API = common.vendor_api(
    "https://{host}/api/v2",
    "Recruiting Back Office > Front Office > API: the client ID generated for this Front Office.",
    PAGER,
    passthrough="v2",
)

#: Application statuses seen on this run's applications (client code -> label): the only stages the FrontOffice
#: API ever shows (no referential endpoint on this API).
STATUSES: kit.Lookup[str] = kit.Lookup("statuses")
