"""Flatchr's API (``https://api.flatchr.io/company/{company_id}``), declared once: a Bearer API key, the company
id in every path, full arrays (no paging), and the public careers host for applying."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

#: Every authenticated endpoint lives under ``/company/{companyId}`` [doc][conn]: the company id is part of the
#: base URL, filled from the integration's config (the Connect form asks for it).
BASE_URL = "https://api.flatchr.io/company/{company_id}"
#: The public career host that takes applications (``POST /vacancy/candidate/json``) [conn HrFlow]. Kombo's
#: passthrough names ``career.flatchr.io`` instead [conn]: unverified which is live; ``config["careers_url"]``
#: overrides it, only for an integration that also overrides ``base_url`` (custom hosts already allowed).
CAREERS_URL = "https://careers.flatchr.io"

API = kit.VendorApi(
    base_url=BASE_URL,
    auth=kit.Bearer(
        kit.Secret("api_key", "API key", help="Flatchr > Advanced settings > Advanced > API: the API key.")
    ),
    pager=kit.Single(),  # no list is paged: each answers the full array [doc][conn]
    records_path=None,
    # No general limit is published; the CV link endpoint allows 1 request/s [3p]. Paced gently, 429s back off.
    rate=kit.RatePolicy(5, 1.0, concurrency=2),
    timeout_seconds=60.0,  # the applicant search answers every applicant at once
    headers=(("Accept", "application/json"),),
    passthrough="api",
)

Raw = dict[str, Any]

#: Pipeline column title -> column: the applicant search names the column, never its id [conn].
COLUMNS: kit.Lookup[Raw] = kit.Lookup("columns")
#: Integer ``vacancy_id`` -> ``{id, slug, title}``: the search names the integer id, writes need the hash ``id``.
VACANCIES: kit.Lookup[Raw] = kit.Lookup("vacancies")


def careers_url(config: Any) -> str:
    """The careers host; the API key travels to it in the apply body, so a config value counts only where
    custom hosts are allowed at all (a ``base_url`` override), never as a bare field."""
    custom = config.get("careers_url") if config.get("base_url") else None
    return str(custom or CAREERS_URL).rstrip("/")
