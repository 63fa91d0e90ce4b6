"""BambooHR Applicant Tracking: HTTP Basic (API key as user name, ``x`` as password) against
``https://api.bamboohr.com/api/gateway.php/{company_domain}/v1``, JSON only when asked (``Accept``).

What the API imposes, and where it is encoded:

* ``/meta/users`` is an object keyed by user id; ``/applicant_tracking/jobs`` and ``/statuses`` are bare arrays
  without paging: read in full on every run (``streams.py``).
* ``/applicant_tracking/applications`` pages with ``page=1,2,...`` until ``paginationComplete`` (or no
  ``nextPageUrl``); ``per_page`` is ignored, the server picks the size (``api.Pager``). Rows are summaries:
  every listed application is read again by id for its detail (N+1).
* Incremental reads have only ``newSince`` (applications *submitted* after) and no updated-since filter, and
  the rows carry no update time. A delta therefore reads the new ones (``newSince``), then walks the listing
  sorted ``last_updated`` newest first and stops after :data:`STOP_AFTER_UNCHANGED` consecutive details whose
  status change and submission both precede the watermark (the one ``kit.Custom`` read). Limit: a change that
  moves ``last_updated`` but not ``status.dateChanged`` (an applicant edit) is caught only while it sits
  within that run of the newest rows; the next full sync catches the rest.
* No deletion feed (no ``deletions=``): deleted applications vanish from the listing, so they are found
  by the engine after a complete full sync.
* Outcome comes from the status ``code`` (names and ids are configurable): the statuses stream publishes
  the codes and applications attach theirs (``_status_code``); ``mappers.OUTCOMES`` is the default rule.
* No candidate listing (the applicant is embedded in its application), no tags, interviews, offers, notes
  listing or scorecards. Resume/cover-letter file ids appear on the detail, but no file download endpoint is
  documented for applicant tracking, so attachments are not served.
* Rate limits are not published; the client paces at ``requests_per_second`` (default 10) and honours
  ``Retry-After`` on 429/503.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.bamboohr.actions import ACTIONS
from atsbridge.connectors.bamboohr.api import API, COMPANY_DOMAIN
from atsbridge.connectors.bamboohr.mappers import OUTCOMES
from atsbridge.connectors.bamboohr.streams import STOP_AFTER_UNCHANGED, STREAMS

__all__ = ["CONNECTOR", "STOP_AFTER_UNCHANGED", "STREAMS"]

CONNECTOR = kit.declare(
    tool="bamboohr",
    label="BambooHR",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    # jobs have no employment type or visibility; every other model supports every filter
    filters={"jobs": frozenset({"name_contains", "post_url", "remote_created_after", "statuses"})},
    probe=kit.Probe(  # the statuses also prove the key may use the applicant-tracking API
        "/applicant_tracking/statuses",
        refused="this API key for this company domain",
        forbidden="BambooHR accepted the API key but denied access to applicant tracking (403): use a key of a "
        "user with hiring access",
        not_found="No BambooHR company at this domain",
    ),
    connect=kit.ConnectForm(
        instructions="Create a BambooHR API key for a user with access to hiring, and enter your company domain.",
        guide_url="https://documentation.bamboohr.com/docs/getting-started",
        extra=(COMPANY_DOMAIN,),
    ),
)
