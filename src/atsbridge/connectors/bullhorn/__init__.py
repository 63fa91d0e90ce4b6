"""Bullhorn (REST) and Bullhorn Login: one API, two ways to get the OAuth code.

What the API imposes, and where it is encoded:

* Auth (``api.py``): OAuth access token (10 min) -> ``GET /rest-services/login?version=*&access_token=`` ->
  ``BhRestToken`` + the data centre's ``restUrl``, which becomes the base of every later call. ``bullhorn``
  takes a refresh token (single use: each rotated one is saved, encrypted, before it is used further);
  ``bullhornlogin`` takes the API user's name and password and does the authorization-code step itself
  (``/oauth/authorize?action=Login``). A 401 (dead session) logs in again once; 307s to another data centre
  are followed [doc]. The ``oauth_url`` config key moves the OAuth host (other data centres, sandboxes).
* Paging: ``start``/``count`` (500) on ``query/{Entity}``; ``total`` is absent on some answers, so a listing
  without it ends on an empty page (``api.StartCount``).
* Rate limits: 429 "wait 1 second then retry" [doc]; the real limits are per API user and concurrency-based
  [3p], no daily cap is documented: 10 req/s with 2 in flight by default (``requests_per_second`` overrides).
* Incremental (``streams.py``): JPQL ``dateLastModified>{epoch ms}`` on jobs, candidates, submissions,
  appointments and notes; deletions are soft (``isDeleted``): a deletion query per entity on delta runs and
  the engine's full-listing detection on full runs. Event Subscriptions (a DELETED feed) need a subscription
  created and drained per integration (events are consumed when read): not used [doc, not worth its state].
  Users and file attachments have no modification date and are listed in full.
* Models: users (CorporateUser), jobs (JobOrder), application_stages (the tenant's JobSubmission status
  list), candidates, applications (JobSubmission; outcome HIRED when a Placement exists, else the
  ``status_map`` / :data:`mappers.OUTCOMES` on the free-text status), interviews (Appointment), notes (Note about
  a candidate), attachments (CandidateFileAttachment, downloaded from ``file/Candidate/{id}/{fileId}/raw``).
* Not served: tags (Bullhorn has none; categories/skills are not tags), rejection reasons (none: statuses
  carry them), offers (Placements are hires, not offers: they drive the outcome), scorecards, roles.
* Writes (``actions.py``): create application/candidate, move stage (status), note, candidate/application
  file. Reject is not declared: no rejection-reason entity (move to a rejection status instead).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import Connector
from atsbridge.connectors.bullhorn import mappers as m
from atsbridge.connectors.bullhorn.actions import ACTIONS
from atsbridge.connectors.bullhorn.api import API
from atsbridge.connectors.bullhorn.streams import DELETIONS, STREAMS

GUIDE = "https://bullhorn.github.io/Getting-Started-with-REST/"


def declare(tool: str, label: str, api: kit.VendorApi, instructions: str) -> Connector:
    return kit.declare(
        tool=tool,
        label=label,
        api=api,
        streams=STREAMS,
        deletions=DELETIONS,
        writes=ACTIONS,
        outcomes=m.OUTCOMES,
        probe=kit.Probe(
            "/ping",
            refused="these API credentials",
            forbidden="Bullhorn accepted the login but denied access (403): check the API user's rights",
        ),
        connect=kit.ConnectForm(instructions=instructions, guide_url=GUIDE),
        download=kit.Download("/file/Candidate/{id}/raw", id_pattern=r"^\d{1,12}/\d{1,12}$"),
    )


CONNECTOR = declare(
    "bullhorn",
    "Bullhorn",
    API,
    "Ask Bullhorn Support for REST API credentials (client ID and "
    "secret); authorize the API user once and paste the refresh token.",
)
