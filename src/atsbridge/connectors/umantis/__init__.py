"""Umantis (Haufe Umantis; Abacus Umantis): JSON:API at ``https://{subdomain}.umantis.com/api/v1`` [3p].

One API, two tool keys: ``umantis`` (this module) and ``abacusumantis`` (:mod:`.abacus`), the Abacus-branded
product on the same API and host (Kombo's passthrough table gives both the same Swagger) [3p]. Both are
:func:`declare` d here from the same API, streams and writes.

What the API imposes, and where it is encoded:

* Activation: the customer enables the API (Settings > Basic settings > tab "API" > "Umantis API aktivieren
  und Nutzungsbestimmungen akzeptieren") [doc]; the Connect form asks for the subdomain and the key.
* JSON:API: ``Accept: application/vnd.api+json`` without parameters is mandatory [doc]; relationships carry
  linkage for what a request ``include=``s, resolved by ``kit.JsonApiSource`` into ``_linked`` (applications
  include their person, job and stage). Paging follows ``links.next`` [doc, generic]; ``page[size]`` [gap].
* Auth: the help names an ``Authorization`` header; its scheme section was not stored [gap]. We send the key
  as ``Authorization: Bearer <key>``.
* Rate limits: none published [gap]: 5 requests/s, 2 in flight (``requests_per_second`` overrides); 429s are
  ridden out with ``Retry-After`` like every connector.
* Incremental: filterable attributes exist (``#filterable`` in the tenant's OpenAPI) but which ones is [gap],
  so every run lists in full; unchanged rows write nothing. No deletion feed: deletions are found by the
  engine after a complete listing.

Modelling choices (``mappers``; every shape is [gap], see there):

* Candidate = the Umantis *person* (one per applicant), application = person x job.
* Stages come from ``/stages``: the default pipeline (no ``job``) and job-specific stages (``job`` set), as
  Kombo lists "stages, job-specific stages" for Umantis [3p].
* Outcome: statuses and stages are customer-configured in Umantis, so the integration's status map (stage
  name, stage id, application status) decides first; the default rule reads the application's ``status``
  (``hired`` -> HIRED, ``rejected``/``withdrawn`` -> DECLINED, else PENDING) [gap: enum unpublished].

Writes (``actions``): create candidate + application (``POST /persons`` then ``POST /applications``, each
created once), with ``remote_fields.umantis.person`` merged into the person's attributes (Appendix A).

Unverified: resource types, attribute names, filter names, auth scheme, page size. Not served (``unavailable``)
is what the public material does not name at all. The Abacus *Jobs Portal* (``jobs.abasky.net``, recorded in
``vendor-payloads/abacus-jobsportal``) is a different product (Abacus ERP's job portal) and is not used here.
"""

from __future__ import annotations

import dataclasses

from atsbridge.connectors import kit
from atsbridge.connectors.base import Connector, FormField
from atsbridge.connectors.umantis.actions import ACTIONS
from atsbridge.connectors.umantis.api import API
from atsbridge.connectors.umantis.mappers import OUTCOMES
from atsbridge.connectors.umantis.streams import STREAMS

__all__ = ["CONNECTOR", "declare"]

_NOT_NAMED = "the public Umantis API material names no endpoint for it"
_NO_WRITE = "the public Umantis API material names no endpoint for it (only creating persons and applications)"


def declare(tool: str, label: str) -> Connector:
    """The Umantis connector under ``tool`` (``umantis`` or ``abacusumantis``): same API, same behaviour."""
    declared = kit.declare(
        tool=tool,
        label=label,
        api=API,
        streams=STREAMS,
        writes=ACTIONS,
        outcomes=OUTCOMES,
        filters={
            "jobs": frozenset(
                {
                    "name_contains",
                    "job_codes",
                    "remote_created_after",
                    "statuses",
                    "employment_types",
                    "visibilities",
                    "post_url",
                }
            )
        },  # fmt: skip
        probe=kit.Probe(
            "/users",
            {"page[size]": 1},
            refused="this API key",
            forbidden=f"{label} accepted the API key but denied access (403): give the key read access",
            not_found=f"{label} answered 404: check the subdomain and that the API is activated",
        ),
        connect=kit.ConnectForm(
            instructions="In Umantis, open Settings > Basic settings > API, activate the Umantis API, accept the "
            "terms of use and create an API key; enter it with your Umantis subdomain.",
            guide_url="https://de.onlinehelp.umantis.com",
            extra=(
                FormField(
                    "subdomain",
                    "Subdomain",
                    target="config",
                    placeholder="acme",
                    help="The part before .umantis.com in your Umantis address.",
                ),
            ),
        ),
        unavailable={
            **dict.fromkeys(
                ("interviews", "offers", "notes", "scorecards", "attachments", "tags", "rejection_reasons", "roles"),
                _NOT_NAMED,
            ),
            **dict.fromkeys(
                (
                    "move_application_to_stage",
                    "reject_application",
                    "add_application_note",
                    "add_application_attachment",
                    "add_candidate_attachment",
                    "add_candidate_tag",
                    "remove_candidate_tag",
                ),
                _NO_WRITE,
            ),  # fmt: skip
        },
    )
    return dataclasses.replace(declared, open=kit.jsonapi_opener(API, STREAMS))


CONNECTOR = declare("umantis", "Haufe Umantis")
