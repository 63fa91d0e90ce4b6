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
* Apply (``create_application``, also ``POST /candidates``): the applicant-account flow of the same API under
  ``https://api.softgarden.io/api/rest`` (see ``actions``): account, user token, ``applied`` check, draft,
  save, submit, each step create-once or an idempotent read; the applicant's password is derived, never
  stored (``api.applicant_password``). Softgarden cannot return the application to a recruiter, so the write
  answers with the application and candidate **as submitted** (``kit.as_submitted``): stage unknown, outcome
  PENDING, never refreshed by a sync (which fills only jobs, so it never deletes them either).
* Unavailable, with the reason users see: reading candidates, applications, stages, users, interviews,
  offers, notes, attachments, tags... (no recruiter-side read: applications are readable only with the
  applicant's own login, and only those created through the API), and every other write.
* The only recorded payload (legacy v2 "Get Application", applicant-facing) is not valid JSON as published;
  the job shape is built field by field from the open-source clients [conn], so it is unverified.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.softgarden import mappers as m
from atsbridge.connectors.softgarden.actions import ACTIONS
from atsbridge.connectors.softgarden.api import API

__all__ = ["API", "CONNECTOR", "STREAMS"]

STREAMS = (kit.stream("jobs", "jobs", m.map_job, kit.Listed("")),)

_NO_READ = ("Softgarden's public APIs are candidate-facing: no recruiter-side read (applications only with the "
            "applicant's own login, and only those made through the API)")  # fmt: skip
_NO_WRITE = ("Softgarden's public APIs are candidate-facing: an applicant can apply, but no recruiter-side "
             "write (stages, rejections, notes, tags) exists")  # fmt: skip


CONNECTOR = kit.declare(
    tool="softgarden",
    label="Softgarden",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
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
        **dict.fromkeys(
            (
                "move_application_to_stage",
                "reject_application",
                "add_application_note",
                "add_candidate_tag",
                "remove_candidate_tag",
                "add_application_attachment",
                "add_candidate_attachment",
                "add_application_result_link",
                "add_candidate_result_link",
                "import_tracked_application",
            ),
            _NO_WRITE,
        ),
    },  # fmt: skip
)
