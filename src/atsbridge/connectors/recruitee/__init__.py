"""Recruitee (Tellent): ``https://api.recruitee.com/c/{company_id}`` with a personal API token as a Bearer token.

What the API imposes, and where it is encoded:

* The company is part of every path: ``config.company_id`` (the numeric id or the subdomain; never the full
  hostname, which Recruitee refuses with "Company id is invalid"). ``config.base_url`` replaces the host only.
* Responses wrap objects in a root key (``candidates``, ``offer``...) plus ``references`` (Offer, Stage, Admin by
  ``type``): the mappers read stage categories and offer kinds from there.
* Paging: ``limit``/``offset`` (without them ``/candidates`` returns everything, slowly): :data:`reads.PAGE_SIZE`.
* No ``updated_after`` filter anywhere: every run lists all candidates and compares each candidate's and each
  placement's ``updated_at`` (see ``reads``). Hence ``incremental=True`` streams whose delta is computed here.
* No public rate limit (about 100 requests/min reported for trial companies): we pace at
  :data:`REQUESTS_PER_MINUTE` (``config.requests_per_minute`` overrides) and back off on 429.
* ``config.timeout_seconds`` (default 30) bounds each request.
* Deletions: no tombstones in the API (webhooks only), so ``deletion_feed=False``; the engine finds
  deletions by id-diff after a complete full sync.

Modelling choices (details in ``mappers``):

* Applications are *placements* (candidate x offer), embedded in the candidate; placements in talent pools
  are not applications. Jobs are offers of kind ``job``; every offer has its own pipeline copy, so stages carry
  their ``job_id``. Outcome: HIRED on ``hired_at`` or a ``hire``-category stage, DECLINED when disqualified
  (reason text from ``disqualify_reason``), else PENDING.
* Users are admins (no roles exposed); roles are the two job roles offers name (recruiter, hiring manager).
* Tags are the strings in candidates' ``tags``; notes and files hang on the candidate (``application_id`` None);
  attachments are the CV (``cv_original_url``) plus ``/candidates/{id}/attachments``.
* Not synced: interviews and evaluations (``/interview/*`` is known only from third-party clients) and
  screening questions/answers (open question templates are undocumented).

Known limits: whether notes, tags and files move a candidate's ``updated_at`` is not verifiable from the
recordings; if they do not, such a change waits for the candidate's next change or the next full sync. A full
sync costs one request per candidate (the detail), plus its notes and files when it has any.
"""

from __future__ import annotations

import httpx

from atsbridge.connectors.base import Capabilities, Connector, IntegrationInfo, PassthroughApi
from atsbridge.connectors.http.auth import HeaderAuth
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.ratelimit import RateLimit
from atsbridge.connectors.http.source import HttpSource, HttpStream
from atsbridge.connectors.recruitee import mappers as m
from atsbridge.connectors.recruitee import reads as r
from atsbridge.connectors.recruitee.actions import ACTIONS
from atsbridge.connectors.recruitee.connect import CONNECT

HOST = "https://api.recruitee.com"
REQUESTS_PER_MINUTE = 100


def base_url(info: IntegrationInfo) -> str:
    host = str(info.config.get("base_url") or HOST).rstrip("/")
    return f"{host}/c/{info.config.get('company_id') or ''}"


def _client(info: IntegrationInfo) -> HttpClient:
    """Never raises on bad config: a missing token or company surfaces as Recruitee's 401/404 in the run."""
    token = str(info.credentials.get("token") or "")
    per_minute = float(info.config.get("requests_per_minute") or REQUESTS_PER_MINUTE)
    return HttpClient(
        base_url=base_url(info),
        auth=HeaderAuth("Authorization", f"Bearer {token}"),
        headers={"Accept": "application/json"},
        rate_limit=RateLimit(max(int(per_minute), 1), 60.0),
        timeout=float(info.config.get("timeout_seconds") or 30.0),
    )


def _open(info: IntegrationInfo) -> HttpSource:
    return HttpSource(_client(info))


async def _file_url(source: HttpSource, remote_id: str) -> tuple[str, str] | None:
    kind, _, rest = remote_id.partition("-")
    if kind == "cv":
        found = await r.detail(source, rest)
        url = (found or {}).get("cv_original_url") or (found or {}).get("cv_url")
        return (str(url), m.cv_file_name(url)) if url else None
    candidate_id, _, file_id = rest.partition("-")
    for row in await r.children(source, candidate_id, "attachments"):
        if str(row.get("id")) == file_id and row.get("url"):
            return str(row["url"]), str(row.get("filename") or file_id)
    return None


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """Signed storage URLs, fetched without our token (a second credential would be refused)."""
    if not remote_id.replace("-", "").isalnum() or remote_id.split("-")[0] not in ("cv", "file"):
        return None
    source = _open(info)
    try:
        found = await _file_url(source, remote_id)
    finally:
        await source.aclose()
    if found is None:
        return None
    url, name = found
    async with httpx.AsyncClient(follow_redirects=True, timeout=120) as plain:
        file = await plain.get(url)
    if file.status_code == 404:
        return None
    if file.status_code >= 400:
        raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"file download failed ({file.status_code})", retryable=True)
    kind = file.headers.get("content-type", "").split(";")[0] or m.content_type(name)
    return file.content, name, kind


STREAMS: tuple[HttpStream, ...] = (
    HttpStream("admins", ("users",), m.map_admin, False, path="/admins", records_path="admins", fetch=r.read_list),
    HttpStream("roles", ("roles",), m.map_role, False, fetch=r.read_roles),
    HttpStream("disqualify_reasons", ("rejection_reasons",), m.map_disqualify_reason, False,
               path="/disqualify_reasons", records_path="disqualify_reasons", fetch=r.read_list),
    HttpStream("offers", ("jobs",), m.map_offer, False, path="/offers", fetch=r.read_offers),
    HttpStream("stages", ("application_stages",), m.map_stage, False, path="/offers", fetch=r.read_stages),
    # placements are embedded in candidates: one listing fills both; the delta is computed per record
    HttpStream("candidates", ("candidates", "applications"), m.map_candidate, True, path="/candidates",
               fetch=r.read_candidates),
    HttpStream("tags", ("tags",), m.map_tag, True, fetch=r.read_tags),
    HttpStream("notes", ("notes",), m.map_note, True, path="/candidates/{id}/notes", fetch=r.read_notes),
    HttpStream("attachments", ("attachments",), m.map_attachment, True, path="/candidates/{id}/attachments",
               fetch=r.read_attachments),
)  # fmt: skip

MODELS = frozenset(model for stream in STREAMS for model in stream.models)

#: Filters the data backs: notes and files name no application; users and candidates have their emails and
#: names; offers give every job filter but a job code.
FILTERS: dict[str, frozenset[str]] = {
    # only models where the tool's data lacks some filters; every other model supports them all
    "attachments": frozenset({"candidate_ids"}),
    "jobs": frozenset(
        {"employment_types", "name_contains", "post_url", "remote_created_after", "statuses", "visibilities"}
    ),
    "notes": frozenset({"candidate_ids"}),
}

CONNECTOR = Connector(
    tool="recruitee",
    label="Recruitee",
    passthrough=(
        PassthroughApi("v1", _client),
        PassthroughApi("default", _client),
    ),
    streams=STREAMS,
    capabilities=Capabilities(models=MODELS, filters=FILTERS, actions=frozenset(ACTIONS)),
    open=_open,
    deletion_feed=False,
    actions=ACTIONS,
    download=_download,
    connect=CONNECT,
)
