"""SmartRecruiters Customer API: ``X-SmartToken`` header auth against ``https://api.smartrecruiters.com``.

What the API imposes, and where it is encoded:

* Cursor paging: ``limit`` 1-100 and ``pageId`` from the previous ``nextPageId`` (:class:`api.Cursor`); the
  public Posting API still pages by ``offset``/``totalFound`` (``kit.Offset``). Streams: ``streams.py``.
* Limits: 10 requests/s per endpoint (the client paces at ``requests_per_second``, default 10, for all of them)
  and at most **8 requests in flight** per credential, with ``GET /candidates`` allowing only **one**. Listings
  are read one page at a time (one ``/candidates`` request in flight, ever) and every other read and write goes
  through one per-source semaphore of ``max_concurrency`` (default 4, capped at 8: :func:`api.send`). A 429
  still backs off with ``Retry-After``.
* Incremental: ``updatedAfter`` on ``/candidates`` and ``/jobs``. A candidate's ``updatedOn`` is taken to move
  when any of its applications changes (no per-application filter exists). No deletion feed: deletions are
  found after a complete full sync.
* Applications are candidate x job pairs read one by one (``/candidates/{id}/jobs/{jobId}``) for every
  assignment of a listed candidate (the summary shows only the primary one): N+1 by design, so a delta reads
  only changed candidates' applications. Their files come from ``/candidates/{id}/attachments``.
* Stages are per job: the fixed statuses split by the job's hiring process sub-statuses
  (``/configuration/hiring-processes/{id}``); a change of a hiring process reaches unchanged jobs at the next
  full sync. Public postings (job postings) come from the Posting API for ``config.company_identifier`` and
  are matched to jobs by ``refNumber``; an edited posting that does not move its job waits for a full sync.
* Tags are plain strings on candidates (no tag listing): the candidate stream emits them as it meets them.
* Not served: offers, interviews and notes (no documented list shape for them in the Customer API), screening
  questions (Application API only). Notes can be written (Message API), not read.
* Webhooks (``webhooks.py``): atsbridge subscribes through the Webhooks API (``/webhooks-api/v201907/
  subscriptions``: create, generate the signing key, activate, answering the ``X-Hook-Secret`` handshake);
  deliveries are checked against SmartRecruiters' ``v1`` HMAC over timestamp, body and event headers (5 minute
  replay window) and queue a delta of ``candidates`` or ``jobs``.
"""

from __future__ import annotations

import re

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.smartrecruiters.actions import ACTIONS
from atsbridge.connectors.smartrecruiters.api import API
from atsbridge.connectors.smartrecruiters.mappers import OUTCOMES
from atsbridge.connectors.smartrecruiters.streams import STREAMS
from atsbridge.connectors.smartrecruiters.webhooks import WEBHOOKS

_FILE = kit.Download("/candidates/{id}", id_pattern=r"^[\w-]+/attachments/[\w-]+$").bind(API)


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """``GET /candidates/{id}/attachments/{attachmentId}`` with the API credential; the remote id is
    ``<candidate>/<attachment>`` (a function: ``kit.Download`` puts the whole id in one place)."""
    if not re.match(r"^[\w-]+/[\w-]+$", remote_id):
        return None
    candidate_id, attachment_id = remote_id.split("/")
    return await _FILE(info, f"{candidate_id}/attachments/{attachment_id}")


CONNECTOR = kit.declare(
    tool="smartrecruiters",
    label="SmartRecruiters",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    filters={},  # the tool's data supports every filter of every model
    probe=kit.Probe(
        "/jobs",
        {"limit": 1},
        refused="this API token",
        forbidden="SmartRecruiters accepted the token but denied access (403): give it the jobs and "
        "candidates read scopes",
    ),
    connect=kit.ConnectForm(
        instructions="Create a SmartRecruiters API token with read access to jobs and candidates.",
        guide_url="https://developers.smartrecruiters.com/docs/partner-api-access",
        extra=(
            FormField(
                "company_identifier",
                "Company identifier",
                target="config",
                required=False,
                placeholder="AcmeInc",
                help="Optional: your career-site identifier, to read job postings.",
            ),
        ),
    ),
    download=_download,
    webhooks=WEBHOOKS,
)
