"""d.vinci ATS (d.vinci HR-Systems GmbH, Hamburg): the admin **REST API** (``https://{host}/restApi``, doc v1.61).

What the API imposes, and where it is encoded (reference §1; [doc] unless marked):

* Auth: two headers on every request, ``Dvinci-API-User`` and ``Dvinci-API-Token``, of an API user made in
  Users > API users (``api.ApiUser``). The API user's roles and **org unit** limit what it sees, silently.
* Base URL per customer: the form asks for the full host (``acme.dvinci.de``, ``*.dvinci-hr.com``,
  ``*.dvinci-easy.com`` or a custom domain [conn]), filled into ``https://{host}/restApi`` by the kit.
* **No paging**: every list is one bare array of all permitted records (``kit.Single``), so the timeout is
  long. Rate limits: a 429 with no numbers and no ``Retry-After``; the client paces at 5/s and backs off.
* Incremental: only applications filter by change, ``byLastStatusChangeDateFrom`` (UTC ``...Z`` only), and
  ``lastStatusChangeDate`` is their only clock: an edit that does not change the status (a PUT of the
  rejection code, new screening answers) is seen by the next full sync. Persons have no filter and no update
  time: they are read in full every run (unchanged ones hash the same), as are users and job openings
  (``byDateCreatedFrom`` would miss edits). The list row of an application is slim, so each listed
  application is read by id (N+1, bounded), and its attachments and history listed: a delta does so for the
  changed applications only, so a file or note added without a status change waits for the next full sync.
* Deletions: no tombstones and no feed: the engine finds deleted records after a complete full listing.
* 403 means "no permission" *and* "no such id": reads of gone children are tolerated (``streams.GONE``).
* Stages are application statuses and rejection reasons are rejection codes, both customer-defined internal
  names (``SYS_NEW``, ``FIRST_INTERVIEW``, ``EMPLOYED``) that **no endpoint lists**: the stages and reasons
  served are the names seen on applications (``kit.Derived``), named from the internal name. So a move or a
  rejection can name only a status or code some application already carries (passthrough for the others).
* Outcome (``mappers.outcome``): the integration's ``status_map`` (by status or rejection code) first, then a
  set ``rejectionCodeId`` declines, then ``OUTCOMES`` (``EMPLOYED`` hires: the doc's example). Every other
  status is PENDING until the customer maps it: almost every tenant names its own hired/rejected statuses.
  [inference] An onboarding for the application also means hired (reference §1.8), but onboarding is a
  separate module: an API user without it would fail every sync on ``/onboardings/``, so it is not read.
* Tags are person ``keywords`` (written with ``PUT /persons/{id}``); notes are application history entries
  that carry text; attachments are listed per application and downloaded as base64 JSON (``_download``).
* Writes and optimistic locking (409 re-read and retry once): see ``actions``.
* Not available: interviews, offers, scorecards (no endpoints); roles (users carry role internal names,
  listed as their system roles, but there is no role listing); job-specific pipelines (one status catalogue
  as far as the API shows); candidate attachments without an application.
"""

from __future__ import annotations

import base64
import binascii
import re

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.dvinci.actions import ACTIONS
from atsbridge.connectors.dvinci.api import API, HOST, LANGUAGE
from atsbridge.connectors.dvinci.mappers import OUTCOMES
from atsbridge.connectors.dvinci.streams import STREAMS
from atsbridge.connectors.http.errors import RemoteError

__all__ = ["CONNECTOR", "STREAMS"]

_ATTACHMENT = re.compile(r"^(\d{1,18})/([0-9a-f]{24})$")


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """``GET /applications/{app}/attachments/{id}`` answers the file inline as ``contentAsBase64``."""
    match = _ATTACHMENT.match(remote_id)
    if match is None:
        return None
    client = API.client(info)
    try:
        body = (await client.request("GET", f"/applications/{match[1]}/attachments/{match[2]}")).json()
    except RemoteError as exc:
        if exc.status in (403, 404):
            return None
        raise
    finally:
        await client.aclose()
    try:
        content = base64.b64decode(str(body.get("contentAsBase64") or ""), validate=True)
    except (binascii.Error, ValueError, AttributeError):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "d.vinci sent an attachment that is not base64") from None
    name = str(body.get("filename") or match[2])
    return content, name, str(body.get("contentType") or "application/octet-stream")


CONNECTOR = kit.declare(
    tool="dvinci",
    label="d.vinci",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    # job openings have no visibility, post URL, employment type or creation time; other models: every filter
    filters={"jobs": frozenset({"name_contains", "statuses", "job_codes"})},
    probe=kit.Probe(
        "/orgUnits/",
        refused="this API user name and token",
        forbidden="d.vinci accepted the API user but denied access (403): give the API user read roles",
        not_found="No d.vinci REST API at this host (404): check the host of your d.vinci system",
    ),
    connect=kit.ConnectForm(
        instructions="Create an API user in d.vinci (Users > API users) with roles to read (and, for writes, edit) "
        "persons, applications and job openings, generate its token, and enter your d.vinci host.",
        guide_url="https://static.dvinci-easy.com/files/d.vinci%20rest-api.html",
        extra=(HOST, LANGUAGE),
    ),
    download=_download,
    unavailable={
        "interviews": "d.vinci's REST API has no interview endpoints",
        "offers": "d.vinci's REST API has no offer endpoints",
        "scorecards": "d.vinci's REST API has no scorecard or evaluation endpoints",
        "roles": "d.vinci lists no roles; users carry role internal names only",
        "add_candidate_attachment": "d.vinci keeps attachments on applications only",
    },
)
