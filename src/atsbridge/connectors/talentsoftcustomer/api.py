"""The Recruiting Customer API (``https://<customer>.talent-soft.com/api``), declared once.

The base stops at ``/api`` because the API has three roots [doc]: ``/v1/...`` (referentials, writes),
``/exports/v1/...`` (exporting and indexing) and ``/v1/system/...`` (webhooks, not used). Lists page with
``offset`` & ``limit`` [doc] and answer ``WrappedResponse_<Type>Array``, read as ``{"data": [...]}`` [gap: the
wrapper's fields are not in the stored spec]; a short page ends the listing.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.talentsoft import common

PAGER = kit.Offset(param="offset", size_param="limit", page_size=100, records_path="data")

API = common.vendor_api(
    "https://{customer}.talent-soft.com/api",
    "Administration > Employees > (the API user) > Add API key: the client ID.",
    PAGER,
    passthrough="v1",
)

#: The exports' delta filter [gap: the indexing guide says partners fetch what was "added/modified since
#: their last call"; the parameter name is not in the stored material].
MODIFIED_SINCE = kit.Since("modifiedSince", kit.iso)
