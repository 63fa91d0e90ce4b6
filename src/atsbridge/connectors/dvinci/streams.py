"""d.vinci's streams as data. Every list is one unpaged array; the application list row is slim, so each
listed application is read again by id (``_detail``: status, rejection code, screening answers)."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.dvinci import mappers as m
from atsbridge.connectors.dvinci.api import APPLICATIONS, KEYWORDS, REJECTIONS, STATUSES, ref_id

#: The one update clock: ``lastStatusChangeDate``, filterable as UTC with ``Z`` only ("Offset like ``+03:00``
#: is not supported") [doc].
STATUS_CHANGED_SINCE = kit.Since("byLastStatusChangeDateFrom", kit.iso_ms)
#: d.vinci answers 403 both for "no permission" and for an id that does not exist (any more) [doc].
GONE = (403, 404)


def _parent(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "person": ref_id(row.get("person"))}


STREAMS = (
    kit.stream("users", "users", m.map_user, kit.Listed("/dvinciUsers/")),
    kit.stream("jobs", "jobs", m.map_job, kit.Listed("/jobOpenings/")),
    # persons have no filter and no update time: read in full every run (changes show by their hash)
    kit.stream("persons", "candidates", m.map_candidate, kit.Listed("/persons/"),
               publishes=[kit.Publish(KEYWORDS, fold=m.fold_keywords)]),
    kit.stream("keywords", "tags", m.map_tag, kit.Derived(KEYWORDS, m.id_rows)),
    kit.stream(
        "applications", "applications", m.map_application,
        kit.Listed("/applications/", since=STATUS_CHANGED_SINCE),
        steps=[kit.Detail("/applications/{id}", into="_detail", tolerate=GONE)],
        publishes=[kit.Publish(APPLICATIONS, _parent), kit.Publish(STATUSES, fold=m.fold_on("applicationStatusId")),
                   kit.Publish(REJECTIONS, fold=m.fold_on("rejectionCodeId"))],
    ),
    # no listing of statuses or rejection codes exists: the internal names seen on applications
    kit.stream("statuses", "application_stages", m.map_stage, kit.Derived(STATUSES, m.id_rows)),
    kit.stream("rejection_codes", "rejection_reasons", m.map_reason, kit.Derived(REJECTIONS, m.id_rows)),
    kit.stream("attachments", "attachments", m.map_attachment,
               kit.FanOut(APPLICATIONS, {"files": "/applications/{key}/attachments"}, parent_into="_application",
                          tolerate=GONE)),
    kit.stream("history", "notes", m.map_note,
               kit.FanOut(APPLICATIONS, {"history": "/applications/{key}/history"}, parent_into="_application",
                          tolerate=GONE)),
)  # fmt: skip
