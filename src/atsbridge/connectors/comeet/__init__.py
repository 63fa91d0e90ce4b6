"""Comeet (Spark Hire Recruit): the public Careers API, which serves a company's **published positions**.

What the API imposes, and where it is encoded:

* ``GET https://www.comeet.co/careers-api/2.0/company/{company_uid}/positions?token=...&details=true`` [doc]:
  the company UID (e.g. ``89.002``) is part of the path and the Careers token goes in the query; both come
  from Comeet's Careers Website settings (HR or IT admins). One unpaged array: no paging, no rate limit
  documented (paced at 2/s, adjustable per integration), no updated-since filter.
* Incremental: none server-side. Every sync lists all published positions (one request); a position that
  is unpublished, closed or deleted leaves the listing, and the engine marks its job deleted after a
  complete listing (never after a failed one). ``time_updated`` moves ``updated_after``.
* Stages, candidates, applications, users, interviews, offers, notes and files: **no public read API**.
  Comeet's Recruiting API lists only candidates a partner added itself, and only for approved partners (a
  secret Comeet issues), and its hire webhook is push-only: declared ``unavailable`` with that reason.
* Webhooks in (``webhooks``): Comeet's position create/update/delete pushes queue a delta of ``positions``
  within seconds; hire pushes are accepted and touch nothing stored. Set up by hand (Comeet support / the
  Integrations page), signed ``Signature: sha256 <hex>``; see that module for what is unverified.
* Writes: creating a candidate needs that partner secret (a JWT-signed bearer whose exact claims Comeet does
  not publish [doc: "JWT(api-key, secret)", unverified]) and nothing created can be read back: not built.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.comeet import mappers as m
from atsbridge.connectors.comeet.webhooks import WEBHOOKS

API = kit.VendorApi(
    base_url="https://www.comeet.co/careers-api/2.0/company/{company_uid}",
    auth=kit.QueryKey("token", kit.Secret("token", "Careers API token",
                                          help="Settings > Careers Website > Careers API: the company token.")),
    # the whole list in one answer (the body is the array)
    pager=kit.Single(),
    rate=kit.RatePolicy(2, 1.0),  # undocumented: a polite default, raised per integration if Comeet agrees
    passthrough="careers",
)

STREAMS = (
    kit.stream("positions", "jobs", m.map_position, kit.Listed("/positions", {"details": "true"})),
)

_NO_READ = ("Comeet's public Careers API serves published positions only; its Recruiting API is partner-gated "
            "and returns only candidates the partner added")  # fmt: skip
_NO_WRITE = ("Comeet accepts candidates only through its partner-gated Recruiting API (a secret issued by Comeet "
             "to approved partners), with no way to read the created candidate back")  # fmt: skip

CONNECTOR = kit.declare(
    tool="comeet",
    label="Comeet",
    api=API,
    streams=STREAMS,
    outcomes=None,
    probe=kit.Probe(
        "/positions",
        refused="this company UID and Careers token",
        forbidden="Comeet refused the Careers token (403): copy it again from Careers Website settings",
        not_found="Comeet answered 404: check the company UID (Careers Website settings, e.g. 89.002)",
    ),
    connect=kit.ConnectForm(
        instructions="In Comeet, open Settings > Careers Website and copy the company UID and token "
        "(HR Admin or IT Admin role). Only published positions are shared through this API.",
        guide_url="https://developers.comeet.com/reference/careers-api-overview",
        extra=(FormField("company_uid", "Company UID", target="config", placeholder="89.002",
                         help="Settings > Careers Website: the company's UID."),),  # fmt: skip
    ),
    unavailable={
        **dict.fromkeys(("candidates", "applications", "application_stages", "users", "interviews", "offers",
                         "notes", "attachments", "tags", "rejection_reasons", "scorecards", "roles"), _NO_READ),
        **dict.fromkeys(("create_application", "create_candidate"), _NO_WRITE),
    },  # fmt: skip
    webhooks=WEBHOOKS,
)
