"""A tiny JSON:API server core for the fake: resources, relationships, compound documents, page links.

Resources are kept as ``{"id", "type", "attributes", "rel": {name: ref | [refs] | None}, "links": {...}}`` where
a ref is ``(type, id)``. What a client sees follows Teamtailor's recorded documents: every relationship the
type has is rendered with its ``links``, and ``data`` (linkage) only for relationships named in ``include``.
Reverse relationships (a candidate's job applications, a job's stages) are computed from the children.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

Raw = dict[str, Any]
Ref = tuple[str, str]

#: Relationships rendered per type, in the recorded order (a type missing here renders none).
RELATIONSHIPS: dict[str, tuple[str, ...]] = {
    "jobs": ("department", "role", "location", "locations", "user", "questions", "candidates", "stages",
             "colleagues", "team-memberships", "picked-questions", "requisition"),
    "candidates": ("department", "role", "job-applications", "questions", "answers", "locations", "uploads",
                   "custom-field-values"),
    "job-applications": ("candidate", "job", "stage", "reject-reason"),
    "stages": ("job-applications", "triggers", "job"),
    "users": ("department", "location", "jobs"),
    "reject-reasons": ("job-applications",),
    "departments": ("roles", "team-memberships"),
    "custom-fields": ("custom-field-values",),
    "custom-field-values": ("custom-field", "owner"),
    "uploads": ("candidate", "job"),
    "answers": ("question", "candidate"),
    "picked-questions": ("question",),
    "questions": ("candidate",),
}  # fmt: skip

#: (type, relationship) -> (child type, the child's relationship naming the parent).
REVERSE: dict[Ref, Ref] = {
    ("candidates", "job-applications"): ("job-applications", "candidate"),
    ("candidates", "answers"): ("answers", "candidate"),
    ("candidates", "uploads"): ("uploads", "candidate"),
    ("candidates", "custom-field-values"): ("custom-field-values", "owner"),
    ("jobs", "stages"): ("stages", "job"),
    ("jobs", "picked-questions"): ("picked-questions", "job"),
    ("stages", "job-applications"): ("job-applications", "stage"),
    ("reject-reasons", "job-applications"): ("job-applications", "reject-reason"),
    ("custom-fields", "custom-field-values"): ("custom-field-values", "custom-field"),
}


class BadRequest(Exception):
    """A JSON:API error answer (``{"errors": [...]}``)."""

    def __init__(self, status: int, title: str, detail: str):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def key(res: Raw) -> Ref:
    return res["type"], res["id"]


class Store:
    def __init__(self) -> None:
        self.data: dict[str, dict[str, Raw]] = {}

    def all(self, type_: str) -> list[Raw]:
        return sorted(self.data.get(type_, {}).values(), key=lambda r: (len(r["id"]), r["id"]))

    def get(self, type_: str, id_: object) -> Raw | None:
        return self.data.get(type_, {}).get(str(id_))

    def put(self, res: Raw) -> Raw:
        self.data.setdefault(res["type"], {})[res["id"]] = res
        return res

    def remove(self, type_: str, id_: str) -> None:
        self.data.get(type_, {}).pop(id_, None)

    def related(self, res: Raw, name: str) -> list[Raw]:
        """The resources one relationship of ``res`` points at (computed for reverse relationships)."""
        reverse = REVERSE.get((res["type"], name))
        if reverse is not None:
            child_type, child_rel = reverse
            return [c for c in self.all(child_type) if c["rel"].get(child_rel) == key(res)]
        target = res["rel"].get(name)
        refs: Iterable[Ref] = [target] if isinstance(target, tuple) else (target or [])
        found = (self.get(t, i) for t, i in refs)
        return [r for r in found if r is not None]

    def knows(self, type_: str, name: str) -> bool:
        return name in RELATIONSHIPS.get(type_, ()) or (type_, name) in REVERSE

    # --------------------------------------------------------------------------------------- rendering
    def linkage(self, res: Raw, name: str) -> Any:
        found = [{"type": r["type"], "id": r["id"]} for r in self.related(res, name)]
        to_one = (res["type"], name) not in REVERSE and not isinstance(res["rel"].get(name), list)
        return (found[0] if found else None) if to_one else found

    def render(self, res: Raw, base: str, shown: set[str]) -> Raw:
        own = f"{base}/v1/{res['type']}/{res['id']}"
        attrs = copy.deepcopy(res["attributes"])
        for name, value in attrs.items():  # signed file URLs are relative in the store
            if isinstance(value, str) and value.startswith("/files/"):
                attrs[name] = f"{base}{value}?X-Amz-Expires=60&X-Amz-Signature=fake"
        out: Raw = {"id": res["id"], "type": res["type"], "links": {**res.get("links", {}), "self": own},
                    "attributes": attrs}  # fmt: skip
        names = RELATIONSHIPS.get(res["type"], ())
        if names:
            rels: Raw = {}
            for name in names:
                rels[name] = {"links": {"self": f"{own}/relationships/{name}", "related": f"{own}/{name}"}}
                if name in shown:
                    rels[name]["data"] = self.linkage(res, name)
            out["relationships"] = rels
        return out

    def compound(self, primary: list[Raw], include: str | None, base: str) -> tuple[list[Raw], list[Raw]]:
        """(rendered primary resources, rendered included resources) for ``include=a,b.c``."""
        paths = [p.split(".") for p in (include or "").split(",") if p.strip()]
        shown: dict[Ref, set[str]] = {}
        included: dict[Ref, Raw] = {}
        primary_keys = {key(r) for r in primary}

        def walk(res: Raw, path: list[str]) -> None:
            name = path[0]
            if not self.knows(res["type"], name):
                raise BadRequest(400, "Invalid field", f"{name} is not a valid relationship of {res['type']}")
            shown.setdefault(key(res), set()).add(name)
            for child in self.related(res, name):
                if key(child) not in primary_keys:
                    included.setdefault(key(child), child)
                if len(path) > 1:
                    walk(child, path[1:])

        for res in primary:
            for path in paths:
                walk(res, path)
        rendered = [self.render(r, base, shown.get(key(r), set())) for r in primary]
        extra = [self.render(r, base, shown.get(k, set())) for k, r in included.items()]
        return rendered, extra


def page_links(base: str, path: str, params: list[tuple[str, str]], number: int, size: int, pages: int) -> Raw:
    """``first``/``next``/``last`` links that keep every other query parameter, as Teamtailor's do."""
    kept = [(k, v) for k, v in params if not k.startswith("page[")]

    def url(n: int) -> str:
        return f"{base}{path}?" + urlencode([*kept, ("page[number]", str(n)), ("page[size]", str(size))])

    links = {"first": url(1), "last": url(max(pages, 1))}
    if number < pages:
        links["next"] = url(number + 1)
    return links
