"""Ashby connector: RPC-style ``POST https://api.ashbyhq.com/<category>.<method>``, HTTP Basic with the API key.

The API (auth, paging, pace, error shape) is declared in ``api.py``, the streams in ``streams.py``.

Vendor facts and where they are encoded (reference notes §4; the mappers document fields):

* Reads are POSTs with a JSON body; errors usually come as HTTP 200 ``{"success": false, ...}``: every answer
  goes through :func:`rpc.check` (``api.AshbyErrors``), which gives them the contract's codes.
* Cursor paging in the body (``cursor`` / ``nextCursor`` / ``moreDataAvailable``, ``limit`` <= 100):
  :data:`rpc.PAGER`. The last page's ``syncToken`` is kept per stream for incremental reads (``kit.SyncToken``).
* No deletion feed (only a ``candidateDelete`` webhook): deletions are found after a complete full sync.
* Models: users (``user.list``), roles (``globalRole`` + hiring-team roles; Ashby has no listing), tags
  (``candidateTag.list``), rejection reasons (``archiveReason.list``), jobs with their postings (descriptions,
  application form = screening questions), hiring team and interview-plan stages, candidates, applications
  (outcome from ``status`` + archive reason), scheduled interviews (``interviewSchedule.list``: one record per
  event), offers (``offer.list``), notes (``candidate.listNotes`` per candidate), scorecards
  (``applicationFeedback.list``) and files (resume + file handles of the candidate; downloaded through
  ``file.info``'s short-lived URL).
* **Webhooks** (``webhooks.py``): atsbridge registers one Ashby webhook per followed type through
  ``webhook.create`` with its own secret; a delivery is verified by ``Ashby-Signature: sha256=<hex
  HMAC-SHA256(secret, raw body)>`` (no timestamp is signed), deduplicated by ``webhookActionId`` (kept across
  retries), and queues a delta sync of the streams it touches; the ``ping`` Ashby sends on create touches none.
* Screening answers are not read: they are only on ``application.info`` with ``applicationFormSubmissions``
  expanded (one call per application).
"""

from __future__ import annotations

import dataclasses

from atsbridge.connectors import kit
from atsbridge.connectors.ashby import people as p
from atsbridge.connectors.ashby import rpc
from atsbridge.connectors.ashby.actions import ACTIONS
from atsbridge.connectors.ashby.api import API, AshbySource, open_source
from atsbridge.connectors.ashby.streams import STREAMS
from atsbridge.connectors.ashby.webhooks import WEBHOOKS
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError

__all__ = ["CONNECTOR", "AshbySource", "open_source"]


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """``<candidate>/<file id>``: the candidate's handle -> ``file.info`` -> a short-lived signed URL, fetched
    without our credentials (the kit's ``Download`` is an authenticated GET)."""
    candidate_id, _, file_id = remote_id.partition("/")
    if not candidate_id or not file_id or "/" in file_id:
        return None
    client = API.client(info)
    try:
        cand = await rpc.call(client, "candidate.info", {"id": candidate_id}) or {}
        handles = [cand.get("resumeFileHandle") or {}, *(cand.get("fileHandles") or [])]
        handle = next((h for h in handles if h.get("id") == file_id), None)
        if handle is None:
            return None
        found = await rpc.call(client, "file.info", {"fileHandle": handle["handle"]})
    except RemoteError as exc:
        if exc.code == "REMOTE.INPUT_INVALID":
            return None
        raise
    finally:
        await client.aclose()
    file = await kit.fetch_signed((found or {}).get("url", ""))
    if file is None:
        return None
    name = str(handle.get("name") or file_id)
    kind = file.headers.get("content-type", "").split(";")[0].strip() or p.content_type(name)
    return file.content, name, kind


_DECLARED = kit.declare(
    tool="ashby",
    label="Ashby",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    webhooks=WEBHOOKS,
    # Scorecards name their application only (feedback does not carry the candidate); notes and files name the
    # candidate, and the application only when the candidate has exactly one.
    filters={"scorecards": frozenset({"application_ids"})},
    probe=kit.Probe(
        "/job.list",
        method="POST",
        json={"limit": 1},
        refused="this API key",
        refused_when=("invalid_api_key",),
        forbidden="Ashby accepted the API key but denied access (403): enable the Jobs and Candidates read "
        "permissions of the key",
    ),
    connect=kit.ConnectForm(
        instructions="Create an Ashby API key with read access to jobs, candidates and applications.",
        guide_url="https://developers.ashbyhq.com/reference/authentication",
    ),
    download=_download,
)
#: The declared connector, opened through :class:`AshbySource` (an expired syncToken restarts a listing).
CONNECTOR = dataclasses.replace(_DECLARED, open=open_source)
