"""What a sync run does with integration fields: discover them, and apply passthrough and custom-field mappings.

Applied at sync time, before hashing, so ``changed_at``/``updated_after`` stay right and reads stay
byte-spliced. A run with no plan for a model does no per-record work for it beyond key discovery.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from atsbridge.core.ids import random_id
from atsbridge.model.record import UnifiedRecord
from atsbridge.store.tables import custom_field_mappings, custom_fields, integration_fields


@dataclass(frozen=True)
class FieldRef:
    id: str
    key: str
    type: str
    label: str | None


@dataclass
class FieldPlan:
    """Per model: passthrough-enabled fields, and the environment's custom fields with their mapped field."""

    passthrough: dict[str, list[FieldRef]] = field(default_factory=dict)
    custom: dict[str, dict[str, FieldRef | None]] = field(default_factory=dict)

    @property
    def models(self) -> frozenset[str]:
        return frozenset(self.passthrough) | frozenset(self.custom)

    def apply(self, rec: UnifiedRecord, raw: dict[str, Any] | None) -> None:
        """Fill ``integration_fields`` and replace ``custom_fields`` (``raw``: the vendor record when ``rec`` is
        its stream's first model, else None: DEFAULT fields of other models are not known here)."""
        vendor_custom = rec.fields.get("custom_fields") or {}

        def value(ref: FieldRef) -> Any:
            if ref.type == "CUSTOM":
                return vendor_custom.get(ref.key) if isinstance(vendor_custom, dict) else None
            return raw.get(ref.key) if raw is not None else None

        refs = self.passthrough.get(rec.model)
        if refs:
            rec.fields["integration_fields"] = [
                {"id": r.id, "key": r.key, "type": r.type, "label": r.label, "value": value(r)} for r in refs
            ]
        mapping = self.custom.get(rec.model)
        if mapping is not None and "custom_fields" in rec.fields:
            rec.fields["custom_fields"] = {k: (value(r) if r is not None else None) for k, r in mapping.items()}


def load_plan(conn: Connection, environment_id: str, integration_id: str) -> FieldPlan | None:
    """The run's plan, or None when there is nothing to apply (the common case: zero per-record work)."""
    plan = FieldPlan()
    for r in conn.execute(
        select(integration_fields)
        .where(
            integration_fields.c.integration_id == integration_id, integration_fields.c.is_passthrough_enabled.is_(True)
        )
        .order_by(integration_fields.c.key)
    ):
        plan.passthrough.setdefault(r.model, []).append(FieldRef(r.id, r.key, r.type, r.label))
    mapped = {
        r.custom_field_id: FieldRef(r.id, r.key, r.type, r.label)
        for r in conn.execute(
            select(custom_field_mappings.c.custom_field_id, integration_fields)
            .join(integration_fields, integration_fields.c.id == custom_field_mappings.c.integration_field_id)
            .where(custom_field_mappings.c.integration_id == integration_id)
        )
    }
    for cf in conn.execute(
        select(custom_fields).where(custom_fields.c.environment_id == environment_id).order_by(custom_fields.c.key)
    ):
        plan.custom.setdefault(cf.model, {})[cf.key] = mapped.get(cf.id)
    return plan if plan.models else None


@dataclass
class Discovery:
    """Keys seen during one run, per (model, type); written once at the end of the run."""

    seen: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def observe(
        self,
        first_model: str,
        page: list[dict[str, Any]],
        records: dict[str, list[UnifiedRecord]],
        skip: frozenset[str] = frozenset(),
    ) -> None:
        """DEFAULT: top-level keys of the vendor records; CUSTOM: keys of the mapped records' custom fields
        (models in ``skip`` were observed record by record, before their custom fields were replaced)."""
        defaults = self.seen[(first_model, "DEFAULT")]
        for raw in page:
            defaults.update(raw)
        for model, recs in records.items():
            if model in skip:
                continue
            customs = self.seen[(model, "CUSTOM")]
            for rec in recs:
                cf = rec.fields.get("custom_fields")
                if cf and isinstance(cf, dict):
                    customs.update(cf)

    def observe_custom(self, rec: UnifiedRecord) -> None:
        cf = rec.fields.get("custom_fields")
        if cf and isinstance(cf, dict):
            self.seen[(rec.model, "CUSTOM")].update(cf)

    def save(self, conn: Connection, integration_id: str, now: datetime) -> int:
        """Insert new fields, refresh ``last_seen_at`` of known ones; returns how many were new."""
        existing = {
            (r.model, r.type, r.key)
            for r in conn.execute(
                select(integration_fields.c.model, integration_fields.c.type, integration_fields.c.key).where(
                    integration_fields.c.integration_id == integration_id
                )
            )
        }
        new_rows = []
        for (model, kind), all_keys in self.seen.items():
            # Keys a connector adds while enriching a vendor record ("_job_posts") are not the tool's fields.
            keys = {k for k in all_keys if not (kind == "DEFAULT" and k.startswith("_"))}
            known = [k for k in keys if (model, kind, k) in existing]
            new_rows += [
                {
                    "id": "if_" + random_id(20),
                    "integration_id": integration_id,
                    "model": model,
                    "key": k[:255],
                    "type": kind,
                    "label": k[:300],
                    "is_passthrough_enabled": False,
                    "first_seen_at": now,
                    "last_seen_at": now,
                }
                for k in sorted(keys)
                if (model, kind, k) not in existing
            ]
            for start in range(0, len(known), 500):
                conn.execute(
                    update(integration_fields)
                    .where(
                        integration_fields.c.integration_id == integration_id,
                        integration_fields.c.model == model,
                        integration_fields.c.type == kind,
                        integration_fields.c.key.in_(known[start : start + 500]),
                    )
                    .values(last_seen_at=now)
                )
        if new_rows:
            conn.execute(insert(integration_fields), new_rows)
        return len(new_rows)
