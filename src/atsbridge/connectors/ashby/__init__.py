"""Ashby connector: RPC-style ``POST https://api.ashbyhq.com/<category>.<method>``, HTTP Basic with the API key.

Configuration: ``credentials.api_key``; optional ``config.base_url`` (a fake), ``config.requests_per_second``
(Ashby publishes no limit: 10/s by default, and 429 + ``Retry-After`` are honoured) and
``config.timeout_seconds``.

Vendor facts and where they are encoded (reference notes §4; the mappers document fields):

* Reads are POSTs with a JSON body; errors usually come as HTTP 200 ``{"success": false, ...}``: every answer
  goes through :func:`rpc.check` (the paginator hook), which gives them the contract's codes.
* Cursor paging in the body (``cursor`` / ``nextCursor`` / ``moreDataAvailable``, ``limit`` <= 100):
  :data:`rpc.PAGER`. The last page's ``syncToken`` is kept per stream for incremental reads (``reads.py``).
* No deletion feed (only a ``candidateDelete`` webhook): deletions are found after a complete full sync.
* Models: users (``user.list``), roles (``globalRole`` + hiring-team roles; Ashby has no listing), tags
  (``candidateTag.list``), rejection reasons (``archiveReason.list``), jobs with their postings (descriptions,
  application form = screening questions), hiring team and interview-plan stages, candidates, applications
  (outcome from ``status`` + archive reason), scheduled interviews (``interviewSchedule.list``: one record per
  event), offers (``offer.list``), notes (``candidate.listNotes`` per candidate), scorecards
  (``applicationFeedback.list``) and files (resume + file handles of the candidate; downloaded through
  ``file.info``'s short-lived URL).
* Screening answers are not read: they are only on ``application.info`` with ``applicationFormSubmissions``
  expanded (one call per application).
"""

from __future__ import annotations

import httpx

from atsbridge.connectors.ashby import mappers as m
from atsbridge.connectors.ashby import people as p
from atsbridge.connectors.ashby import reads as r
from atsbridge.connectors.ashby import rpc
from atsbridge.connectors.ashby.actions import ACTIONS, candidate_info
from atsbridge.connectors.ashby.connect import CONNECT
from atsbridge.connectors.base import Capabilities, Connector, IntegrationInfo, Mapper, PassthroughApi
from atsbridge.connectors.http.client import HttpClient
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.ratelimit import RateLimit
from atsbridge.connectors.http.source import Fetch, HttpSource, HttpStream

BASE_URL = "https://api.ashbyhq.com"
REQUESTS_PER_SECOND = 10


def _client(info: IntegrationInfo) -> HttpClient:
    """Basic auth with the key as user name and a blank password (the docs' way)."""
    rate = float(info.config.get("requests_per_second", REQUESTS_PER_SECOND))
    pace = RateLimit(int(rate), 1.0) if rate >= 1 else RateLimit(1, 1 / max(rate, 0.01))
    return HttpClient(
        base_url=str(info.config.get("base_url", BASE_URL)),
        auth=httpx.BasicAuth(str(info.credentials.get("api_key") or ""), ""),
        headers={"Accept": "application/json; version=1"},
        rate_limit=pace,
        timeout=float(info.config.get("timeout_seconds", 30.0)),
    )


def open_source(info: IntegrationInfo, sync_tokens: dict[str, str] | None = None) -> HttpSource:
    """A source that asks for changes only on the streams ``sync_tokens`` (stream -> token) name, and leaves
    the tokens it receives in ``source.state["sync_tokens"]``.

    The engine stores each stream's new token once the stream's pages have committed and hands the stored
    ones back in ``IntegrationInfo.stream_state`` on the next run.
    """
    state = {"sync_tokens_in": dict(sync_tokens or {}), "sync_tokens": {}}
    return HttpSource(_client(info), check=rpc.check, state=state)


def _open(info: IntegrationInfo) -> HttpSource:
    return open_source(info, dict(info.stream_state))


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """``<candidate>/<file id>``: the candidate's handle -> ``file.info`` -> a short-lived signed URL, fetched
    without our credentials."""
    candidate_id, _, file_id = remote_id.partition("/")
    if not candidate_id or not file_id or "/" in file_id:
        return None
    source = _open(info)
    try:
        cand = await candidate_info(source, candidate_id)
        handles = [cand.get("resumeFileHandle") or {}, *(cand.get("fileHandles") or [])]
        handle = next((h for h in handles if h.get("id") == file_id), None)
        if handle is None:
            return None
        found = await rpc.call(source.client, "file.info", {"fileHandle": handle["handle"]})
    except RemoteError as exc:
        if exc.code == "REMOTE.INPUT_INVALID":
            return None
        raise
    finally:
        await source.aclose()
    async with httpx.AsyncClient(follow_redirects=True, timeout=120) as plain:
        file = await plain.get((found or {}).get("url", ""))
    if file.status_code == 404:
        return None
    if file.status_code >= 400:
        raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"file download failed ({file.status_code})", retryable=True)
    name = str(handle.get("name") or file_id)
    kind = file.headers.get("content-type", "").split(";")[0].strip() or p.content_type(name)
    return file.content, name, kind


def _stream(name: str, models: tuple[str, ...], mapper: Mapper, fetch: Fetch, incremental: bool = True) -> HttpStream:
    return HttpStream(name, models, mapper, incremental, fetch=fetch)


STREAMS: tuple[HttpStream, ...] = (
    _stream("users", ("users",), m.map_user, r.read_users),
    _stream("tags", ("tags",), m.map_tag, r.plain("candidateTag.list", {"includeArchived": True})),
    _stream(
        "archive_reasons",
        ("rejection_reasons",),
        m.map_archive_reason,
        r.plain("archiveReason.list", {"includeArchived": True}),
    ),  # fmt: skip
    _stream("jobs", ("jobs", "application_stages"), m.map_job, r.read_jobs),
    _stream("roles", ("roles",), m.map_role, r.read_roles, incremental=False),  # after users and jobs
    _stream("candidates", ("candidates",), p.map_candidate, r.read_candidates),
    _stream("applications", ("applications",), p.map_application, r.plain("application.list")),
    _stream("interview_schedules", ("interviews",), p.map_schedule, r.read_interviews),
    _stream("offers", ("offers",), p.map_offer, r.plain("offer.list")),
    _stream("notes", ("notes",), p.map_note, r.read_notes),
    _stream("feedback", ("scorecards",), p.map_feedback, r.plain("applicationFeedback.list")),
    _stream("files", ("attachments",), p.map_files, r.read_files),  # from the candidate listing
)

MODELS = frozenset(model for stream in STREAMS for model in stream.models)

#: Scorecards name their application only (feedback does not carry the candidate); notes and files name the
#: candidate, and the application only when the candidate has exactly one.
FILTERS: dict[str, frozenset[str]] = {
    # only models where the tool's data lacks some filters; every other model supports them all
    "scorecards": frozenset({"application_ids"}),
}

CONNECTOR = Connector(
    tool="ashby",
    label="Ashby",
    passthrough=(PassthroughApi("v1", _client),),
    streams=STREAMS,
    capabilities=Capabilities(models=MODELS, filters=FILTERS, actions=frozenset(ACTIONS)),
    open=_open,
    deletion_feed=False,
    actions=ACTIONS,
    download=_download,
    connect=CONNECT,
)
