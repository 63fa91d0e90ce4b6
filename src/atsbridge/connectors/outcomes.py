"""Application outcome rules as data, with a per-integration override.

Many ATS let each customer name their own statuses (archive reasons, rejection statuses...), so the
connector's declared rule is only the default: an integration may carry ``config["status_map"]`` (vendor
status or reason name -> HIRED / DECLINED / PENDING), which wins. Mappers apply it through
:meth:`MapContext.outcome <atsbridge.connectors.base.MapContext.outcome>`, i.e. before records are hashed, so
a changed map changes the stored outcome and ``updated_after`` sees it (the change queues a full sync).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, cast

Outcome = Literal["HIRED", "DECLINED", "PENDING"]
OUTCOMES: frozenset[str] = frozenset({"HIRED", "DECLINED", "PENDING"})
#: Bounds of an integration's map (it is client input, stored in the integration's config).
MAX_ENTRIES = 500
MAX_KEY_LENGTH = 200


def norm(status: object) -> str:
    """Statuses compare trimmed and case-insensitively ("Hired " == "hired")."""
    return str(status).strip().lower()


@dataclass(frozen=True)
class OutcomeRule:
    """A connector's default: vendor status -> outcome, then stage name -> outcome, else ``default``."""

    statuses: Mapping[str, Outcome] = field(default_factory=dict)
    stages: Mapping[str, Outcome] = field(default_factory=dict)
    default: Outcome = "PENDING"

    def decide(
        self, status: object | None, *, stage: object | None = None, override: Mapping[str, str] | None = None,
        names: tuple[object | None, ...] = (),
    ) -> Outcome:  # fmt: skip
        """``override`` (the integration's map, normalised keys) is checked first against ``names`` (e.g. a
        customer-named reason and its id) and ``status``; then the declared statuses, then stages."""
        if override:
            for key in (*names, status):
                if key is not None and norm(key) in override:
                    return cast(Outcome, override[norm(key)])
        declared = {norm(k): v for k, v in self.statuses.items()}
        if status is not None and norm(status) in declared:
            return declared[norm(status)]
        stages = {norm(k): v for k, v in self.stages.items()}
        if stage is not None and norm(stage) in stages:
            return stages[norm(stage)]
        return self.default


def parse_status_map(value: object, field_name: str = "status_map") -> dict[str, str]:
    """Validate client input: an object of at most :data:`MAX_ENTRIES` non-empty status names, each mapped
    to HIRED, DECLINED or PENDING. Raises ``ValueError`` naming the offending field."""
    if not isinstance(value, dict):
        raise ValueError(f"{field_name} must be an object of status name -> HIRED, DECLINED or PENDING")
    if len(value) > MAX_ENTRIES:
        raise ValueError(f"{field_name} has {len(value)} entries; at most {MAX_ENTRIES} are allowed")
    out: dict[str, str] = {}
    for key, outcome in value.items():
        if not isinstance(key, str) or not key.strip() or len(key) > MAX_KEY_LENGTH:
            raise ValueError(f"{field_name}: status names must be 1-{MAX_KEY_LENGTH} characters")
        if not isinstance(outcome, str) or outcome not in OUTCOMES:
            raise ValueError(f"{field_name}.{key}: must be HIRED, DECLINED or PENDING, not {str(outcome)[:50]!r}")
        if norm(key) in out:
            raise ValueError(f"{field_name}.{key}: names the same status as another entry (names ignore case)")
        out[norm(key)] = outcome
    return out


def status_map_of(config: Mapping[str, object]) -> dict[str, str]:
    """The integration's stored map (normalised), ignoring a malformed one rather than failing a sync."""
    try:
        return parse_status_map(config.get("status_map") or {})
    except ValueError:
        return {}


def describe(rule: OutcomeRule | None) -> dict[str, object]:
    """A connector's default rule as JSON (shown next to the override so an admin sees what it changes)."""
    if rule is None:
        return {"statuses": {}, "stages": {}, "default": None}
    return {"statuses": dict(rule.statuses), "stages": dict(rule.stages), "default": rule.default}
