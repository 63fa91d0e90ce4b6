"""Lever v1 ("Data API") connector: API key over Basic auth, ``hasNext``/``next`` body-token paging.

Modelling choices (see the mappers for field details):

* **Candidate = opportunity.** Lever's API treats the opportunity as the candidate (``/candidates`` is a
  deprecated alias, and an application's ``candidateId`` *is* its opportunity id). Every listing, delta filter
  and deletion feed is keyed by opportunity, so each unified candidate comes from exactly one vendor record.
  A person with several candidacies (one contact, several opportunities) shows up as several candidates.
* **Application = one per opportunity x posting**: the opportunity's ``applications`` (fetched inline with
  ``expand=applications``). Stage and archive state live on the opportunity and apply to all its applications.
* **Outcome**: ``archived`` null -> PENDING; archived with a reason of type ``hired`` -> HIRED; otherwise
  DECLINED with the reason's text. The archive reasons stream publishes the reasons for this; an
  integration's ``status_map`` may name a reason (text or id) to override the outcome.
* **Stages are global** (``/stages``): emitted with ``job_id=None`` and their pipeline position as ``index``.
* **Jobs = postings**, screening questions from ``/postings/{id}/apply``, the posting itself as the one job
  posting, the hiring team from owner / hiringManager / followers.
* Interviews, feedback (scorecards), notes, offers, resumes and files hang off each opportunity (N+1 calls):
  they are fetched only for the opportunities listed in the current run, so a delta sync touches only those.
* **Writes** (``actions.py``, ``create.py``): every action the contract has except
  ``import_tracked_application`` (Lever cannot look an application up by its id alone); see ``actions.py``.
* **Webhooks** (``webhooks.py``): atsbridge registers one Lever webhook per followed event through
  ``POST /v1/webhooks`` and keeps each one's Lever-generated signature token; a delivery is verified by the
  body's ``signature`` = HMAC-SHA256(signature token, ``token`` + ``triggeredAt``) (the documented body-field
  scheme, not the disputed ``Lever-Signature`` header variant), within 300 s of ``triggeredAt``, deduplicated by
  ``token``, and queues a delta sync of the streams it touches.

Known limits: a child change that does not move its opportunity's ``updatedAt`` (unverified for Lever) waits
for the next full sync, and so do children (interviews, notes...) of an opportunity the deletion feed reports.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.lever.actions import ACTIONS
from atsbridge.connectors.lever.api import API
from atsbridge.connectors.lever.mappers import OUTCOMES
from atsbridge.connectors.lever.streams import DELETIONS, STREAMS
from atsbridge.connectors.lever.webhooks import WEBHOOKS

CONNECTOR = kit.declare(
    tool="lever",
    label="Lever",
    api=API,
    streams=STREAMS,
    deletions=DELETIONS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    webhooks=WEBHOOKS,
    # Every filter is backed by Lever data (notes, scorecards and attachments name an application only when
    # their opportunity has exactly one, as Lever hangs them on the opportunity).
    filters={},
    probe=kit.Probe(
        "/users",
        {"limit": 1},
        refused="this API key",
        forbidden="Lever accepted the API key but denied access (403): give the key read access to users",
    ),
    connect=kit.ConnectForm(
        instructions="Generate a Lever API key with read and write access for atsbridge.",
        guide_url="https://hire.lever.co/developer/documentation#authentication",
    ),
    # authenticated, not a public URL; the remote id is "<opportunity>/<resumes|files>/<id>"
    download=kit.Download("/opportunities/{id}/download", id_pattern=r"^[\w-]+/(resumes|files)/[\w-]+$"),
)
