"""Fountain's streams as data. Neither listing filters by update time, so every run lists both in full and the
engine's hashing keeps only real changes; deletions show when a complete listing misses a record."""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.fountain import mappers as m
from atsbridge.connectors.fountain.api import FUNNEL_PAGER, STAGES, fold_stages, stage_id

STREAMS = (
    kit.stream("funnels", ("jobs", "application_stages"), m.map_funnel,
               kit.Listed("/funnels", pager=FUNNEL_PAGER, records_path="funnels"),
               publishes=[kit.Publish(STAGES, fold=fold_stages)]),
    kit.stream("applicants", ("candidates", "applications"), m.map_applicant, kit.Listed("/applicants"),
               steps=[kit.Attach(STAGES, stage_id, into="_stage")]),
)  # fmt: skip

#: No deletion feed exists (``DELETE /v2/applicants/{id}`` is permanent and leaves no trace to list).
DELETIONS: tuple[kit.DeletionFeed, ...] = ()
