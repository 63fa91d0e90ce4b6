"""Personio Recruiting: the read-only v2 API for reads, the v1 application endpoint for the one write.

What the API imposes, and where it is encoded:

* OAuth2 client credentials at ``POST /v2/auth/token`` (``client_id``/``client_secret`` in the form, the
  token URL on the API host): ``api.FormClientCredentials``. A tenant without the recruiting module answers
  404 on ``/v2/recruiting/*`` (the Connect probe explains it).
* Cursor paging: ``limit`` up to 200 and the next page's full URL in ``_meta.links.next.href``, records in
  ``_data``: ``api.API``.
* Incremental: ``updated_at.gt`` on candidates and applications (jobs and categories are read in full).
  No deletion feed: deletions are found after a complete full sync.
* A job's stages are its category's (``/v2/recruiting/categories``): the ``categories`` lookup, attached
  to each job under ``_stages``.
* v2 returns no tags, custom attributes, files, users, interviews, offers or rejection reasons: those models
  are not served.
* Writes: only ``POST /v1/recruiting/applications`` exists (``actions.py``). Moving, rejecting, notes, tags
  and files on existing records have no API: those actions are not declared, so the API answers
  ``INTEGRATION.ACTION_NOT_AVAILABLE``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField, PassthroughApi
from atsbridge.connectors.personio import mappers as m
from atsbridge.connectors.personio.actions import ACTIONS
from atsbridge.connectors.personio.api import API, CATEGORIES, RECRUITING
from atsbridge.core.timeutil import format_ts

UPDATED_SINCE = kit.Since("updated_at.gt", format_ts)


def _category_id(job: dict[str, Any]) -> object:
    category = job.get("category")
    return category.get("id") if isinstance(category, dict) else category


STREAMS = (
    kit.lookup_only("categories", kit.Listed(f"{RECRUITING}/categories"),
                    [kit.Publish(CATEGORIES, lambda c: list(c.get("stages") or []))]),
    kit.stream("jobs", ("jobs", "application_stages"), m.map_job, kit.Listed(f"{RECRUITING}/jobs"),
               steps=[kit.Attach(CATEGORIES, _category_id, into="_stages")]),
    # applications before candidates: tracking learns the candidates of tracked applications from them
    kit.stream("applications", "applications", m.map_application,
               kit.Listed(f"{RECRUITING}/applications", since=UPDATED_SINCE)),
    kit.stream("candidates", "candidates", m.map_candidate,
               kit.Listed(f"{RECRUITING}/candidates", since=UPDATED_SINCE)),
)  # fmt: skip

_CONNECTOR = kit.declare(
    tool="personio",
    label="Personio",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    # jobs have no code, post URL, employment type or visibility in v2
    filters={"jobs": frozenset({"name_contains", "remote_created_after", "statuses"})},
    probe=kit.Probe(
        f"{RECRUITING}/jobs",
        {"limit": 1},
        refused="this client ID and secret",
        forbidden="Personio accepted the credentials but denied access (403): enable the recruiting read scopes",
        not_found="Personio answered 404: the account does not seem to have the recruiting module",
    ),
    connect=kit.ConnectForm(
        instructions="Create Personio API v2 credentials with the recruiting read scopes.",
        guide_url="https://developer.personio.de/docs/getting-started-with-the-personio-api",
        extra=(
            FormField(
                "company_id",
                "Company ID",
                target="config",
                required=False,
                help="Optional: needed to create applications (Recruiting API).",
            ),
            FormField(
                "recruiting_api_key",
                "Recruiting API token",
                kind="secret",
                required=False,
                help="Optional: needed to create applications (Settings > Recruiting > API).",
            ),
        ),  # fmt: skip
    ),
)
#: Both passthrough keys stay served: ``recruiting`` (v1's name, kept for existing callers) and ``recruitingV2``.
CONNECTOR = dataclasses.replace(
    _CONNECTOR, passthrough=(*_CONNECTOR.passthrough, PassthroughApi("recruiting", API.client))
)
