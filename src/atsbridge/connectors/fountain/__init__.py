"""Fountain (high-volume hourly hiring): funnels are jobs, applicants are applications.

What the API imposes, and where it is encoded:

* Auth: the company's **private** API key in the ``X-ACCESS-TOKEN`` header [doc] (a public key can only create
  applicants; Stitchflow's "Bearer" is wrong per the vendor doc). Base ``https://api.fountain.com/v2``, or
  ``https://<region>.fountain.com/api/v2`` when the Connect form's optional region is set (``api.py``).
  A 401 answers ``{"message": "Authentication is required"}`` [doc, recorded].
* Paging: funnels by page number (``pagination.next``, blank on the last page) [doc]; applicants by cursor
  (``pagination.next_cursor``) [conn] with ``per_page`` up to 100 [3p]: ``api.py``.
* Rate limits and daily caps are not published [3p]: 5 requests/s, two in flight, by default (a
  per-integration ``requests_per_second`` changes it); 429s wait out ``Retry-After``.
* **Incremental: none.** Neither listing filters by update time (no ``updated_since``; applicants carry no
  ``updated_at``), and there is no deletion feed (``DELETE /v2/applicants/{id}`` is permanent). So a delta run
  lists funnels and applicants in full too (the cheapest correct read: one request per 100 applicants); the
  engine's hashing writes only records whose mapped fields changed (a moved stage, an edited name). Deletions
  are marked by the engine after a *complete full* listing that misses a record (scheduled full syncs, behind
  its breaker; a failed or cut-short listing never deletes). The bulk transitions endpoint
  (``POST /v2/applicants/transitions``, up to 1000 ids) only says *when* stages changed for ids one already
  has, so it cannot find changed applicants more cheaply than the listing itself.
* Models: jobs + application stages + screening questions (funnels with their embedded ``stages[]`` and
  ``fields[]``), candidates + applications (applicants: one applicant = one application; the candidate shares
  its id, see ``mappers.py``). Outcome: the current stage's ``type`` (``OUTCOMES``), overridable per integration
  with ``status_map`` (stage titles are the tenant's own).
* Not served: users (no documented users endpoint; only a location's owner appears, embedded in funnels), offers and
  scorecards (no documented endpoint), tags (``labels`` are per-stage checklist items); interviews
  (``/applicants/{id}/booked_slots``), attachments (``/applicants/{id}/secure_documents``) and notes
  (``/applicants/{id}/notes``) exist only per applicant [conn]: with no way to tell which applicants changed,
  each would cost one request per applicant on every run — too costly for high-volume tenants (notes can
  still be written).
* Writes: ``actions.py`` (create applicant, move stage, note).
* Webhooks in: ``webhooks.py`` (set up by hand; unsigned, so the issued URL is the secret; an applicant body
  queues a delta of ``applicants``).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.fountain.actions import ACTIONS
from atsbridge.connectors.fountain.api import API
from atsbridge.connectors.fountain.mappers import OUTCOMES
from atsbridge.connectors.fountain.streams import DELETIONS, STREAMS
from atsbridge.connectors.fountain.webhooks import WEBHOOKS

CONNECTOR = kit.declare(
    tool="fountain",
    label="Fountain",
    api=API,
    streams=STREAMS,
    deletions=DELETIONS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    webhooks=WEBHOOKS,
    # funnels have no post URL or employment type
    filters={"jobs": frozenset({"name_contains", "remote_created_after", "statuses", "job_codes", "visibilities"})},
    probe=kit.Probe(
        "/funnels",
        refused="this private API key",
        forbidden="Fountain accepted the key but denied access (403): use the company's private API key",
    ),
    connect=kit.ConnectForm(
        instructions="Copy the private API key from Fountain (Settings > API). The public key cannot read.",
        guide_url="https://developer.fountain.com/docs/overview",
        extra=(
            FormField(
                "region",
                "Region",
                target="config",
                required=False,
                placeholder="us-2",
                help="Only if you log in at <region>.fountain.com (e.g. us-2); blank for app.fountain.com.",
            ),
        ),  # fmt: skip
    ),
)
