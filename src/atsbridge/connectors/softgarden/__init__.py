"""Softgarden (DE): the public **Frontend API v3** (career websites), which serves a channel's published jobs.

Softgarden publishes candidate-facing and partner APIs only, no recruiter-side ATS API (reference §3.1 [doc];
Kombo: "Softgarden does not support reading or interacting with candidates" [3p]).

* ``GET https://api.softgarden.io/api/rest/v3/frontend/jobslist/{channel_id}`` [conn: swe/softgarden-api,
  brandcom/silverstripe-softgarden]: HTTP Basic with the company's **client id** as user and an empty password
  [doc]; the channel id (e.g. ``125411_extern``) names the career channel. The body is ``{"results": [...]}``,
  the whole list in one answer (no paging seen [conn]). The request goes to the channel URL with a
  trailing slash (the kit's base URL join) [gap: unverified that softgarden accepts it].
  No rate limit documented: paced at 2/s (adjustable).
* Incremental: none server-side (no updated-since filter [doc]). Every sync lists the channel (one request); a
  job taken offline leaves the listing and the engine marks it deleted after a complete listing (never after a
  failed one). ``postingLastUpdatedDate`` (epoch ms) moves ``remote_updated_at``.
* Outcomes: not derivable (no application read); none declared.
* Unavailable, with the reason users see: candidates, applications, stages, users, interviews, offers, notes,
  attachments, tags... (no recruiter-side read: applications are readable only with the applicant's own user
  token, and only those created through the API). Writes: Softgarden's apply paths are the applicant-account
  flow (an applicant login per application, password policy, six calls) and the partner Apply API (granted to
  marketplace job boards); neither can be read back (no recruiter-side read), while atsbridge's create answers
  with the stored application and candidate: declared unavailable until the write route can answer without them.
* The only recorded payload (legacy v2 "Get Application", applicant-facing) is not valid JSON as published;
  the job shape is built field by field from the open-source clients [conn], so it is unverified.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.softgarden import mappers as m

API = kit.VendorApi(
    base_url="https://api.softgarden.io/api/rest/v3/frontend/jobslist/{channel_id}",
    auth=kit.Basic(kit.Secret("client_id", "Client ID", help="Issued by softgarden for your career website API.")),
    records_path="results",
    rate=kit.RatePolicy(2, 1.0),  # none documented: a polite default, raised per integration if softgarden agrees
    passthrough="frontend-v3",
)

STREAMS = (kit.stream("jobs", "jobs", m.map_job, kit.Listed("")),)

_NO_READ = ("Softgarden's public APIs are candidate-facing: no recruiter-side read (applications only with the "
            "applicant's own login, and only those made through the API)")  # fmt: skip
_NO_WRITE = ("Softgarden takes applications only through an applicant-account flow or the partner Apply API, "
             "and the created application cannot be read back (atsbridge answers a create with the stored "
             "record)")  # fmt: skip


CONNECTOR = kit.declare(
    tool="softgarden",
    label="Softgarden",
    api=API,
    streams=STREAMS,
    outcomes=None,
    probe=kit.Probe(
        "",
        refused="this client id and channel",
        forbidden="softgarden refused the client id (403): ask softgarden for the career website API client id",
        not_found="softgarden answered 404: check the channel id (e.g. 125411_extern)",
    ),
    connect=kit.ConnectForm(
        instructions="Ask softgarden (your customer success contact) for the career website API client id and "
        "the channel id of the career site to sync. Only jobs published on that channel are shared.",
        guide_url="https://dev.softgarden.de/",
        extra=(
            FormField(
                "channel_id",
                "Channel ID",
                target="config",
                placeholder="125411_extern",
                help="The career channel whose published jobs are synced.",
            ),
        ),  # fmt: skip
    ),
    unavailable={
        **dict.fromkeys(
            (
                "candidates",
                "applications",
                "application_stages",
                "users",
                "interviews",
                "offers",
                "notes",
                "attachments",
                "tags",
                "rejection_reasons",
                "scorecards",
                "roles",
            ),
            _NO_READ,
        ),
        **dict.fromkeys(("create_application", "create_candidate"), _NO_WRITE),
    },  # fmt: skip
)
