"""JazzHR's REST API (``api.resumatorapi.com/v1``), declared once, and the lookups its streams share.

* Auth: the account's API key as ``?apikey=`` on every request (``kit.QueryKey``); the log redaction removes
  ``apikey=`` values from any logged URL.
* Paging: ``/page/{n}`` path segments, at most 100 rows a page, no total: stop at a short page
  (``kit.PathPage``). A listing of exactly one row is sent as the bare object, not a list (``object_is_one``);
  nested lists of the applicant detail (``jobs``, ``comments``, ``categories``...) likewise (``kit.as_list``).
* Rate: 100 requests/minute [3p: Nango's gotchas; no headers documented], 429 beyond it.
"""

from __future__ import annotations

import re
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.http.errors import RemoteError

Raw = dict[str, Any]
BASE_URL = "https://api.resumatorapi.com/v1"

API = kit.VendorApi(
    base_url=BASE_URL,
    auth=kit.QueryKey(
        "apikey",
        kit.Secret("api_key", "API key", help="JazzHR: Settings > Integrations > API key (a Super Admin sees it)."),
    ),
    pager=kit.PathPage(page_size=100),
    records_path=None,
    # 100 requests a minute per key [3p]; a 429 always backs off on top of this pace
    rate=kit.RatePolicy(100, 60.0, concurrency=2),
    errors=kit.ErrorShape(invalid_token=("invalid api key", "invalid apikey")),
    timeout_seconds=30.0,
    batch=50,
)

#: ``"<applicant id>:<job id>"`` -> the ``/hires`` row (the pair is hired).
HIRES: kit.Lookup[Raw] = kit.Lookup("hires")
#: ``"<applicant id>:<job id>"`` -> that job's entry of the applicant detail (``workflow_step_id``,
#: ``applicant_progress``: the step's name).
APPLICANT_JOBS: kit.Lookup[Raw] = kit.Lookup("applicant_jobs")

#: JazzHR ids are ``prospect_2021...``, ``job_...``, ``projob_...``, ``usr_...``: checked before they reach a path.
_ID = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


def pair(applicant_id: object, job_id: object) -> str:
    return f"{applicant_id}:{job_id}"


def safe_id(value: object, what: str) -> str:
    text = str(value or "")
    if not _ID.match(text):
        raise RemoteError("REMOTE.INPUT_INVALID", f"{what} {text[:40]!r} is not a JazzHR id")
    return text


def publish_jobs(table: dict[str, Any], applicant: Raw) -> None:
    """Fold: each job entry of an applicant's detail under ``applicant:job``."""
    for entry in kit.as_list((applicant.get("_detail") or {}).get("jobs")):
        table[pair(applicant.get("id"), entry.get("job_id"))] = {
            "workflow_step_id": entry.get("workflow_step_id"),
            "applicant_progress": entry.get("applicant_progress"),
        }
