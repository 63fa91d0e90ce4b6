"""FrontOffice streams. No list has an updated-since filter [gap: none documented], so every run lists in full;
the engine's record hashing keeps unchanged records untouched and complete listings find deletions."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.talentsoft import common
from atsbridge.connectors.talentsoft import mappers as m
from atsbridge.connectors.talentsoft.api import STATUSES


def _fold_status(table: dict[Any, str], raw: dict[str, Any]) -> None:
    status = raw.get("status")
    key = common.code(status)
    if key is not None:
        table[key] = common.label(status) or key


STREAMS = (
    kit.stream("offers", "jobs", m.map_offer, kit.Listed("/offersummaries"),
               steps=[kit.Detail("/offers/getoffer?reference={reference}&metadata=true", into="_offer")]),
    kit.stream("applications", ("candidates", "applications"), m.map_application, kit.Listed("/applications"),
               publishes=[kit.Publish(STATUSES, fold=_fold_status)]),
    kit.stream("statuses", "application_stages", m.map_status,
               kit.Derived(STATUSES, lambda key, name: [{"clientCode": key, "label": name}])),
)  # fmt: skip
