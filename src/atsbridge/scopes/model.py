"""The scope a sync, a read or a write is checked against, parsed from a scope config's settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from atsbridge.core.errors import input_invalid
from atsbridge.model.registry import MODELS

#: Write actions a scope config can switch (the contract's scope-config permissions).
ACTIONS = (
    "create_application",
    "move_application_to_stage",
    "reject_application",
    "add_application_note",
    "add_application_attachment",
    "add_candidate_attachment",
    "add_application_result_link",
    "add_candidate_result_link",
    "add_candidate_tag",
    "remove_candidate_tag",
    "import_tracked_application",
)


def switchable_fields(model: str) -> list[str]:
    """Fields that can be turned off: optional ones that are not links between records (``*_id``)."""
    fields = MODELS[model].fields.model_fields
    return [name for name, info in fields.items() if not info.is_required() and not name.endswith("_id")]


@dataclass(frozen=True)
class Scope:
    disabled_models: frozenset[str] = frozenset()
    disabled_fields: Mapping[str, frozenset[str]] = field(default_factory=dict)
    disabled_actions: frozenset[str] = frozenset()
    config_id: str | None = None
    config_name: str | None = None

    def model_enabled(self, model: str) -> bool:
        return model not in self.disabled_models

    def action_enabled(self, action: str) -> bool:
        return action not in self.disabled_actions

    def fields_off(self, model: str) -> frozenset[str]:
        return self.disabled_fields.get(model, frozenset())


EVERYTHING = Scope()


def parse(settings: Mapping[str, Any], *, config_id: str | None = None, name: str | None = None) -> Scope:
    """Validate a scope config's settings (naming the offending key) and freeze them."""
    if not isinstance(settings, Mapping):
        raise input_invalid("settings: expected an object with 'models' and 'actions'")
    unknown = set(settings) - {"models", "actions"}
    if unknown:
        raise input_invalid(f"settings.{sorted(unknown)[0]}: unknown key; expected 'models' and 'actions'")
    disabled_models: set[str] = set()
    disabled_fields: dict[str, frozenset[str]] = {}
    for model, conf in (settings.get("models") or {}).items():
        if model not in MODELS:
            raise input_invalid(f"settings.models.{model}: unknown model; models: {', '.join(MODELS)}")
        if not isinstance(conf, Mapping) or set(conf) - {"enabled", "fields"}:
            raise input_invalid(f"settings.models.{model}: expected {{'enabled': bool, 'fields': {{field: bool}}}}")
        if conf.get("enabled") is False:
            disabled_models.add(model)
        off = set()
        allowed = switchable_fields(model)
        for field_name, enabled in (conf.get("fields") or {}).items():
            if field_name not in allowed:
                raise input_invalid(
                    f"settings.models.{model}.fields.{field_name}: not a field that can be switched; "
                    f"switchable: {', '.join(allowed)}"
                )
            if not isinstance(enabled, bool):
                raise input_invalid(f"settings.models.{model}.fields.{field_name}: expected true or false")
            if not enabled:
                off.add(field_name)
        if off:
            disabled_fields[model] = frozenset(off)
    disabled_actions = set()
    for action, enabled in (settings.get("actions") or {}).items():
        if action not in ACTIONS:
            raise input_invalid(f"settings.actions.{action}: unknown action; actions: {', '.join(ACTIONS)}")
        if not isinstance(enabled, bool):
            raise input_invalid(f"settings.actions.{action}: expected true or false")
        if not enabled:
            disabled_actions.add(action)
    return Scope(frozenset(disabled_models), disabled_fields, frozenset(disabled_actions), config_id, name)
