"""JSON shapes: what keys and JSON types a payload has, recursively, and how a fake's answer differs from a
recorded real payload. ``tests/fakes/test_shapes.py`` runs it for every payload a fake declares in its
``payloads/MANIFEST.json``; customers can run it on their own recordings.

Rules: a list's elements are compared one by one against the union of the recorded elements' shapes; a key
present in every recorded element is required, a key in none is an extra; ``null`` and empty lists carry no
type (a recorded ``null`` accepts any value, an answered ``null`` matches any recorded type), since real
tenants fill optional fields differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


@dataclass
class Shape:
    """The union of the shapes seen at one place: the JSON types, object keys (with how many objects had
    each) and array elements."""

    types: set[str] = field(default_factory=set)
    objects: int = 0
    keys: dict[str, Shape] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    items: Shape | None = None

    def add(self, value: Any) -> Shape:
        kind = json_type(value)
        self.types.add(kind)
        if kind == "object":
            self.objects += 1
            for key, inner in value.items():
                self.keys.setdefault(key, Shape()).add(inner)
                self.seen[key] = self.seen.get(key, 0) + 1
        elif kind == "array":
            for inner in value:
                self.items = self.items or Shape()
                self.items.add(inner)
        return self


def shape_of(*values: Any) -> Shape:
    """The union shape of ``values``."""
    out = Shape()
    for value in values:
        out.add(value)
    return out


def differences(
    recorded: Shape,
    value: Any,
    where: str = "$",
    *,
    optional: frozenset[str] = frozenset(),
    extra: frozenset[str] = frozenset(),
) -> list[str]:
    """How ``value`` departs from the ``recorded`` shape, one readable line per difference. Keys named in
    ``optional`` may be missing and keys in ``extra`` may be added, wherever they are (a manifest says why)."""
    rules: dict[str, frozenset[str]] = {"optional": optional, "extra": extra}
    kind = json_type(value)
    known = recorded.types - {"null"}
    if kind == "null" or not known:
        return []
    if kind not in known:
        return [f"{where}: recorded {' or '.join(sorted(known))}, fake answered {kind}"]
    out: list[str] = []
    if kind == "object":
        for key in sorted(set(value) - set(recorded.keys) - extra):
            out.append(f"{where}: extra key {key!r} (in no recorded payload)")
        required = (k for k, n in recorded.seen.items() if n == recorded.objects and k not in optional)
        for key in sorted(k for k in required if k not in value):
            out.append(f"{where}: missing key {key!r} (in every recorded payload)")
        for key in sorted(set(value) & set(recorded.keys)):
            out += differences(recorded.keys[key], value[key], f"{where}.{key}", **rules)
    elif kind == "array" and recorded.items is not None:
        for i, inner in enumerate(value):
            found = differences(recorded.items, inner, f"{where}[{i}]", **rules)
            out += found
            if found:
                break  # the first differing element says it; the rest usually repeat it
    return out
