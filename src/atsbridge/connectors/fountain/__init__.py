"""Fountain (high-volume hourly hiring): funnels are jobs, applicants are applications.

What the API imposes, and where it is encoded:

* Auth: the company's **private** API key in the ``X-ACCESS-TOKEN`` header [doc] (a public key can only create
  applicants; Stitchflow's "Bearer" is wrong per the vendor doc). Base ``https://api.fountain.com/v2``.
  A 401 answers ``{"message": "Authentication is required"}`` [doc, recorded].
* Paging: funnels by page number (``pagination.next``, blank on the last page) [doc]; applicants by cursor
  (``pagination.next_cursor``) [conn] with ``per_page`` up to 100 [3p]: ``api.py``.
* Rate limits and daily caps are not published [3p]: 5 requests/s, two in flight, by default (a
  per-integration ``requests_per_second`` changes it); 429s wait out ``Retry-After``.
* **Incremental: none.** Neither listing filters by update time (no ``updated_since``; applicants carry no
  ``updated_at``), and there is no deletion feed (``DELETE /v2/applicants/{id}`` is permanent). Every run
  therefore lists funnels and applicants in full; the engine's hashing writes only records whose mapped fields
  changed (a moved stage, an edited name), and a *complete* listing that misses a record marks it deleted
  (behind the engine's breaker; a failed or cut-short listing never deletes). The bulk transitions endpoint
  (``POST /v2/applicants/transitions``, up to 1000 ids) only says *when* stages changed, not which applicants
  changed, so it would not make a delta cheaper than the listing itself.
* Models: jobs + application stages + screening questions (funnels with their embedded ``stages[]`` and
  ``fields[]``), candidates + applications (applicants: one applicant = one application; the candidate shares
  its id, see ``mappers.py``). Outcome: the current stage's ``type`` (``OUTCOMES``), overridable per integration
  with ``status_map`` (stage titles are the tenant's own).
* Not served: users (only a location's owner appears, embedded in funnels), interviews (booked slots are a
  per-applicant call), offers, scorecards, tags (labels are checklists), attachments (``document_signatures``
  carry vendor file URLs only) and notes: notes can be written but reading them back is one request per
  applicant on every run, since nothing says which applicants changed — too costly for high-volume tenants.
* Writes: ``actions.py`` (create applicant, move stage, note).
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.fountain.actions import ACTIONS
from atsbridge.connectors.fountain.api import API
from atsbridge.connectors.fountain.mappers import OUTCOMES
from atsbridge.connectors.fountain.streams import DELETIONS, STREAMS

CONNECTOR = kit.declare(
    tool="fountain",
    label="Fountain",
    api=API,
    streams=STREAMS,
    deletions=DELETIONS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
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
    ),
)
