"""TalentLink's GraphQL-like list query, as the fake reads it:
``{ candidates(first: 100, after: 0, sortBy: id, orderBy: ASC, where: {update_ge: 1700000000000}) {id, email} }``.

Only what a list query needs: the entity, ``first`` (1..100), ``after`` (an offset), ``sortBy``/``orderBy``,
``where`` filters ``<field>_<eq|gt|ge|lt|le|like|isNull>`` on top-level fields, and the field selection (only
the named fields are answered, as in GraphQL)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from atsbridge.fakes.kit.errors import VendorError

_QUERY = re.compile(r"^\s*\{\s*(\w+)\s*\((.*)\)\s*\{([^{}]*)\}\s*\}\s*$", re.DOTALL)
_WHERE = re.compile(r"where\s*:\s*\{(.*?)\}", re.DOTALL)
_PAIR = re.compile(r"(\w+)\s*:\s*(\"(?:[^\"\\]|\\.)*\"|[^,\s]+)")
OPS = ("isNull", "like", "eq", "gt", "ge", "lt", "le")


@dataclass
class Query:
    entity: str
    first: int
    after: int
    fields: list[str]
    where: dict[str, Any] = field(default_factory=dict)
    descending: bool = False


def _literal(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse(text: str) -> Query:
    found = _QUERY.match(text or "")
    if found is None:
        raise VendorError(400, "Invalid query: expected { entity(first: n, after: m, ...) {fields} }")
    entity, args, selection = found.groups()
    where_found = _WHERE.search(args)
    where = dict((k, _literal(v)) for k, v in _PAIR.findall(where_found.group(1))) if where_found else {}
    plain = dict((k, _literal(v)) for k, v in _PAIR.findall(_WHERE.sub("", args)))
    first, after = plain.get("first", 10), plain.get("after", 0)
    if not isinstance(first, int) or not 1 <= first <= 100:
        raise VendorError(400, "Invalid query: first must be between 1 and 100")
    if not isinstance(after, int) or after < 0:
        raise VendorError(400, "Invalid query: after must be a non-negative offset")
    fields = [f.strip() for f in selection.split(",") if f.strip()]
    if not fields:
        raise VendorError(400, "Invalid query: no fields selected")
    return Query(entity, first, after, fields, where, str(plain.get("orderBy", "ASC")).upper() == "DESC")


def matches(row: dict[str, Any], where: dict[str, Any]) -> bool:
    for key, want in where.items():
        name, _, op = key.rpartition("_")
        if op not in OPS or not name:
            raise VendorError(400, f"Invalid filter: {key}")
        have = row.get(name)
        if op == "isNull":
            if (have is None) != bool(want):
                return False
        elif op == "like":
            if str(want).strip("%").lower() not in str(have or "").lower():
                return False
        elif have is None:
            return False
        elif op == "eq":
            if str(have).lower() != str(want).lower():
                return False
        else:
            try:
                a, b = float(have), float(want)
            except (TypeError, ValueError):
                raise VendorError(400, f"Invalid filter value for {key}") from None
            if not {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op]:
                return False
    return True
