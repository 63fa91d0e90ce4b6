"""Teamtailor (JSON:API ``/v1``): an API key as ``Authorization: Token token=<key>`` plus the mandatory
``X-Api-Version`` header.

What the API imposes, and where it is encoded:

* Two stacks: ``config.region`` ``eu`` (default) -> ``api.teamtailor.com``, ``na`` -> ``api.na.teamtailor.com``;
  ``config.base_url`` overrides both. A valid key on the wrong stack answers 401, exactly like a bad key.
* ``X-Api-Version`` is required (406 without it): ``config.api_version``, default :data:`API_VERSION`.
* Paging: ``page[size]`` at most 30, then ``links.next`` until absent (``jsonapi.documents``).
* ``config.timeout_seconds`` (default 30) bounds each request.
* Rate limit: about 50 requests per 10 s per key, reported in ``X-Rate-Limit-Remaining``/``-Reset`` (which the
  shared client honours). We pace at :data:`REQUESTS_PER_10S` (``config.requests_per_10s`` overrides).
* Linkage only for included relations: each listing names its ``include`` (``reads``).
* Delta filters: ``filter[updated-at][from]`` on candidates and job applications only; everything else is
  listed in full on every run. Jobs need ``filter[status]=all`` (the default lists published jobs only).
* Deletions: no tombstones in the REST API (only ``*.destroy`` webhooks), so ``deletion_feed=False`` and the
  engine finds deletions by id-diff after a complete full sync.

Modelling choices (details in ``mappers``):

* Applications are job applications; stages are per job (``job_id`` set); outcome: HIRED in a ``Hired`` stage,
  else DECLINED once ``rejected-at`` is set (reason from ``reject-reason``), else PENDING.
* Screening answers live on the candidate: an application shows its candidate's answers to its job's
  questions (``picked-questions``, whose ``mandatory`` is the question's ``required``).
* Tags are the strings in candidates' ``tags`` (no tag ids exist); roles are the users' ``role`` values plus
  the job's recruiter; attachments are ``/uploads`` plus each candidate's converted ``resume`` (a CV).
* Notes are candidate notes (``application_id`` is None).
* Not synced: interviews/scorecards (``/interviews`` is undocumented and unverified) and offers (the
  ``job-offers`` add-on's status values are not documented).

Known limits: a change that does not move its record's ``updated-at`` (an answer edited after the application,
a relation added to a candidate) reaches a delta sync only when that record changes again, and the next full
sync in any case. Notes, uploads, jobs, stages and users have no delta filter and are re-listed every run.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from atsbridge.connectors.base import Capabilities, Connector, IntegrationInfo, PassthroughApi
from atsbridge.connectors.http.auth import HeaderAuth
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.ratelimit import RateLimit
from atsbridge.connectors.http.source import HttpSource, HttpStream
from atsbridge.connectors.teamtailor import mappers as m
from atsbridge.connectors.teamtailor import reads as r
from atsbridge.connectors.teamtailor.actions import ACTIONS
from atsbridge.connectors.teamtailor.connect import CONNECT
from atsbridge.connectors.teamtailor.jsonapi import MEDIA_TYPE, attributes, fetch_one

log = logging.getLogger("atsbridge.connectors.teamtailor")

HOSTS = {"eu": "https://api.teamtailor.com/v1", "na": "https://api.na.teamtailor.com/v1"}
#: The version current integrations pin (the Go SDK's default); any later date works too.
API_VERSION = "20240904"
REQUESTS_PER_10S = 50


def base_url(config: dict[str, Any] | Any) -> str:
    if config.get("base_url"):
        return str(config["base_url"]).rstrip("/")
    region = str(config.get("region") or "eu").lower()
    if region not in HOSTS:
        log.warning("unknown Teamtailor region %r; using the EU stack", region)
    return HOSTS.get(region, HOSTS["eu"])


def _client(info: IntegrationInfo) -> HttpClient:
    """Never raises on bad config: a missing key surfaces as Teamtailor's 401 within the run."""
    key = str(info.credentials.get("api_key") or "")
    headers = {"X-Api-Version": str(info.config.get("api_version") or API_VERSION), "Accept": MEDIA_TYPE}
    pace = int(info.config.get("requests_per_10s") or REQUESTS_PER_10S)
    return HttpClient(
        base_url=base_url(info.config),
        auth=HeaderAuth("Authorization", f"Token token={key}"),
        headers=headers,
        rate_limit=RateLimit(max(pace, 1), 10.0),
        timeout=float(info.config.get("timeout_seconds") or 30.0),
    )


def _open(info: IntegrationInfo) -> HttpSource:
    return HttpSource(_client(info))


async def _file_url(client: HttpClient, remote_id: str) -> tuple[str, str] | None:
    """A fresh signed URL (they live about a minute) and a file name, or None when the file is gone."""
    source = HttpSource(client)
    if remote_id.startswith("resume-"):
        cand = await fetch_one(source, f"/candidates/{remote_id.removeprefix('resume-')}")
        url = attributes(cand).get("resume") if cand else None
        return (str(url), "resume.pdf") if url else None
    upload = await fetch_one(source, f"/uploads/{remote_id}")
    url = attributes(upload).get("url") if upload else None
    return (str(url), str(attributes(upload).get("file-name") or remote_id)) if upload and url else None


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """Signed storage URLs are fetched without our token (a second credential would be refused)."""
    if not remote_id.replace("-", "").isalnum():
        return None
    client = _client(info)
    try:
        found = await _file_url(client, remote_id)
    finally:
        await client.aclose()
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


def _stream(name: str, models: tuple[str, ...], mapper: Any, path: str, fetch: Any, **kw: Any) -> HttpStream:
    return HttpStream(name, models, mapper, kw.pop("incremental", False), path=path, fetch=fetch, **kw)


STREAMS: tuple[HttpStream, ...] = (
    _stream("users", ("users",), m.map_user, "/users", r.read_users),
    _stream("roles", ("roles",), m.map_role, "/users", r.read_roles),
    _stream("reject_reasons", ("rejection_reasons",), m.map_reject_reason, "/reject-reasons", r.read_plain),
    _stream("jobs", ("jobs",), m.map_job, "/jobs", r.read_jobs,
            params={"filter[status]": "all", "include": r.JOB_INCLUDE}),
    _stream("stages", ("application_stages",), m.map_stage, "/stages", r.read_stages, params={"include": "job"}),
    _stream("candidates", ("candidates",), m.map_candidate, "/candidates", r.read_candidates, incremental=True,
            params={"include": r.CANDIDATE_INCLUDE}, since_params=r.updated_since),
    # tags and resumes come from the candidates this run listed: partial on a delta, hence "incremental"
    _stream("tags", ("tags",), m.map_tag, "/candidates", r.read_tags, incremental=True),
    _stream("job_applications", ("applications",), m.map_application, "/job-applications", r.read_applications,
            incremental=True, params={"include": r.APPLICATION_INCLUDE}, since_params=r.updated_since),
    _stream("notes", ("notes",), m.map_note, "/notes", r.read_plain),
    _stream("uploads", ("attachments",), m.map_attachment, "/uploads", r.read_attachments, incremental=True,
            params={"include": "candidate"}),
)  # fmt: skip

MODELS = frozenset(model for stream in STREAMS for model in stream.models)

#: Filters the data backs. Notes and files hang on candidates only, so no ``application_ids``; jobs have no
#: job code; users' emails, candidates' names and emails, and everything on applications are present.
FILTERS: dict[str, frozenset[str]] = {
    # only models where the tool's data lacks some filters; every other model supports them all
    "attachments": frozenset({"candidate_ids"}),
    "jobs": frozenset(
        {"employment_types", "name_contains", "post_url", "remote_created_after", "statuses", "visibilities"}
    ),
    "notes": frozenset({"candidate_ids"}),
}

CONNECTOR = Connector(
    tool="teamtailor",
    label="Teamtailor",
    passthrough=(PassthroughApi("v1", _client),),
    streams=STREAMS,
    capabilities=Capabilities(models=MODELS, filters=FILTERS, actions=frozenset(ACTIONS)),
    open=_open,
    deletion_feed=False,
    actions=ACTIONS,
    download=_download,
    connect=CONNECT,
)
