"""Oracle Fusion HCM REST (ADF), declared once: Basic auth with a Fusion user, the customer's host,
``limit``/``offset`` paging that stops on a short page (``hasMore`` is unreliable, Oracle Doc ID 2728432.1 [3p])."""

from __future__ import annotations

from datetime import datetime

from atsbridge.connectors import kit
from atsbridge.core.timeutil import format_ts

#: The customer's pod host (``servername.fa.us2.oraclecloud.com``) and the pinned ADF resource version.
BASE_URL = "https://{host}/hcmRestApi/resources/11.13.18.05"
PAGE = 100  # max is 500 (499 on some resources [3p]); 100 keeps answers small (``expand=all`` times out)

API = kit.VendorApi(
    base_url=BASE_URL,
    auth=kit.Basic(
        kit.Text("username", "Fusion user name", help="A user with the Recruiting REST privileges (see below)."),
        kit.Secret("password", "Password"),
    ),
    # never trust ``hasMore``: kit.Offset stops on an empty or short page only
    pager=kit.Offset(param="offset", size_param="limit", page_size=PAGE, records_path="items"),
    records_path="items",
    # no published limit [gap]: a modest default, raised per integration with ``requests_per_second``
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    timeout_seconds=60.0,
    headers=(("REST-Framework-Version", "4"), ("Accept", "application/json")),
    passthrough="rest",
)


def since(ts: datetime) -> str:
    """ADF row-match ``q`` on the update stamp ([3p] syntax; the doc says to verify it per resource)."""
    return f"LastUpdateDate>'{format_ts(ts)}'"


UPDATED_SINCE = kit.Since("q", since)
#: ``onlyData`` drops the ``links`` of every row; ``orderBy`` keeps offset paging stable.
LISTING = {"onlyData": "true"}


#: ``"<PhaseId>:<StateId>"`` -> ``{"phase_code", "state_code"}``: applications carry names and ids, not codes.
STAGES: kit.Lookup[dict[str, object]] = kit.Lookup("stages")
