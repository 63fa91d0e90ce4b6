"""UKG Pro Recruiting's streams as data. ``updated_after=<ISO>`` narrows opportunities and applications [conn];
candidates are read by id (``GET /candidates/{id}`` [doc]) for the applications listed in the run, and
documents through each listed application. Offers have no documented filter: listed in full each run (the
engine's hashing keeps unchanged ones untouched). There is **no deletion feed** [doc §5.5]: complete full
listings mark what vanished deleted."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.ukgpro import mappers as m
from atsbridge.connectors.ukgpro.api import APPLICATIONS, CANDIDATES, application_context, candidate_id

UPDATED_AFTER = kit.Since("updated_after", kit.iso)

STREAMS = (
    kit.stream("opportunities", "jobs", m.map_opportunity, kit.Listed("/opportunities", since=UPDATED_AFTER)),
    kit.stream(
        "applications", "applications", m.map_application, kit.Listed("/applications", since=UPDATED_AFTER),
        publishes=[kit.Publish(APPLICATIONS, application_context),
                   kit.Publish(CANDIDATES, lambda raw: {}, key=candidate_id)],
    ),
    kit.stream(
        "candidates", ("candidates", "notes"), m.map_candidate,
        kit.Derived(CANDIDATES, lambda key, _: [{"id": key}]),
        steps=[kit.Detail("/candidates/{id}", into="_detail")],
    ),
    kit.stream("offers", "offers", m.map_offer, kit.Listed("/offers")),
    kit.stream(
        "documents", "attachments", m.map_document,
        kit.FanOut(APPLICATIONS, {"documents": "/applications/{key}/documents"}, parent_into="_application"),
    ),
)  # fmt: skip
