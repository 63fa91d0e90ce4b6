"""BITE's API v1 (``https://api.b-ite.io/v1``), declared once: the ``BAPI-Token`` header [conn], search
``POST``s paged by offset in the body [gap], ``{"code", "message"}`` errors [conn], and the lookups the streams
share."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit

Raw = dict[str, Any]

BASE_URL = "https://api.b-ite.io/v1"

#: ``POST /<resource>/search`` answers ``{"total": n, "entries": [...]}`` [conn]. How a search pages is not
#: documented publicly (the Swagger at ``/docs`` was not readable) [gap]: ``offset``/``limit`` beside the filter
#: is the reading chosen, and ``total`` or a short page ends the listing, so a vendor that ignores both keys
#: still ends after one complete answer.
SEARCH = kit.BodyOffset(param="offset", size_param="limit", page_size=100, records_path="entries")

API = kit.VendorApi(
    base_url=BASE_URL,
    auth=kit.HeaderKey(
        "BAPI-Token",
        kit.Secret(
            "api_key",
            "API key",
            help="the API key (BAPI token) BITE issued, with access to job postings and candidates.",
        ),
    ),  # fmt: skip
    pager=SEARCH,
    records_path="entries",
    # no published budget [gap]: a gentle pace, a 429 backs off (Retry-After honoured when sent)
    rate=kit.RatePolicy(5, 1.0, concurrency=4),
    timeout_seconds=45.0,  # the one known client waits 45 s [conn]
    headers=(("Accept", "application/json"),),
    passthrough="v1",
)

#: Every posting, active or not: a search filtered on ``active: true`` [conn] would drop the postings that
#: candidates still link to (deleted postings stay listed [3p]).
ALL: Raw = {"filter": {}}

#: Candidates listed in this run: the parents of their notes and documents.
CANDIDATES: kit.Lookup[Raw] = kit.Lookup("candidates")


def candidate_context(raw: Raw) -> Raw:
    """What a note's or a document's mapper needs of its candidate (the candidate is the application)."""
    return {"id": str(raw["id"])}


def search_body(email: str, job_id: str | None) -> Raw:
    """The candidate search a create-once ``find`` sends (``filter.standard`` as in the posting search [conn];
    the ``email``/``jobPostingId`` keys are [gap])."""
    standard: Raw = {"email": email}
    if job_id:
        standard["jobPostingId"] = job_id
    return {"filter": {"standard": standard}, "offset": 0, "limit": 100}
