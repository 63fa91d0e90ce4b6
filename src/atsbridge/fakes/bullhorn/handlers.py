"""The fake Bullhorn's REST handlers: ``query/{Entity}`` (JPQL ``where`` subset, ``fields``, ``orderBy``,
``start``/``count``), ``entity/{Entity}/{id}`` (GET, POST update), ``PUT entity/{Entity}``, ``settings``,
``ping`` and candidate files (``PUT file/Candidate/{id}``, ``GET .../{fileId}/raw``)."""

from __future__ import annotations

import base64
import binascii
import operator
import re
from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from atsbridge.fakes.bullhorn.state import STATUSES, FakeState, Raw
from atsbridge.fakes.kit.errors import VendorError
from atsbridge.fakes.kit.paging import Offset
from atsbridge.fakes.kit.spec import Call

PAGER = Offset(offset_param="start", size_param="count", default_size=20, max_size=500)
_CLAUSE = re.compile(r"^([A-Za-z][\w.]*)\s*(>=|<=|<>|=|>|<|\s+IN\s+)\s*(.+)$", re.IGNORECASE)
_OPS: dict[str, Callable[[Any, Any], bool]] = {"=": operator.eq, "<>": operator.ne, ">": operator.gt,
                                               "<": operator.lt, ">=": operator.ge, "<=": operator.le,
                                               "IN": lambda a, b: a in b}  # fmt: skip
ENTITIES = ("JobOrder", "Candidate", "JobSubmission", "Placement", "Appointment", "Note", "CandidateFileAttachment",
            "CorporateUser", "JobSubmissionHistory")  # fmt: skip
WRITABLE = {"Candidate": ("firstName", "lastName"), "JobSubmission": ("candidate", "jobOrder", "status"),
            "Note": ("comments", "personReference")}  # fmt: skip


def _value(text: str) -> Any:
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        return {_value(v) for v in text[1:-1].split(",") if v.strip()}
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise VendorError(400, f"Invalid where clause value: {text[:60]}")


def _field(row: Raw, path: str) -> Any:
    value: Any = row
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(path)
        value = value[part]
    return value


def matcher(where: str, entity: str, sample: Raw | None) -> Callable[[Raw], bool]:
    """The JPQL subset the connector uses: clauses joined by ``AND``; an unknown field is a 400."""
    clauses = []
    for part in re.split(r"\s+AND\s+", where.strip(), flags=re.IGNORECASE):
        found = _CLAUSE.match(part.strip())
        if found is None:
            raise VendorError(400, f"Invalid where clause: {part[:80]}")
        name, op, value = found.group(1), found.group(2).strip().upper(), _value(found.group(3))
        if sample is not None:
            try:
                _field(sample, name)
            except KeyError:
                raise VendorError(400, f"Invalid field '{name}' for entity {entity}") from None
        clauses.append((name, _OPS[op], value))

    def match(row: Raw) -> bool:
        try:
            return all(op(_field(row, name), value) for name, op, value in clauses)
        except (KeyError, TypeError):
            return False

    return match


def project(row: Raw, fields: str) -> Raw:
    """``fields=*`` or a comma list (``candidate(id,firstName)`` keeps ``candidate``); ``id`` always."""
    if fields.strip() == "*":
        return row
    names = {re.sub(r"\(.*", "", f).strip() for f in re.split(r",(?![^(]*\))", fields)} | {"id"}
    return {k: v for k, v in row.items() if k in names}


def _entity(call: Call[FakeState]) -> str:
    name = str(call.path["entity"])
    if name not in ENTITIES:
        raise VendorError(400, f"Invalid entity type: {name}")
    return name


def _fields(call: Call[FakeState]) -> str:
    fields = call.query.get("fields")
    if not fields:
        raise VendorError(400, "Either the 'fields' or the 'layout' parameter must be provided")
    return fields


def query(call: Call[FakeState]) -> Raw:
    """Answers ``{start, count, data}``: query answers carry no ``total`` (the recorded submission list)."""
    entity, fields = _entity(call), _fields(call)
    rows = call.fake.of(entity)
    if "where" not in call.query:
        raise VendorError(400, "Missing required parameter: where")
    match = matcher(call.query["where"], entity, next(iter(rows.values()), None))
    order = call.query.get("orderBy", "id").strip()
    ordered = sorted((r for r in rows.values() if match(r)), key=lambda r: r["id"], reverse=order.startswith("-"))
    cursor = PAGER.cursor(call.request)
    page, _ = PAGER.slice(cursor, [((r["id"],), r) for r in ordered], call.fake.page_cap)
    return {"start": cursor.index, "count": len(page), "data": [project(r, fields) for r in page]}


def _row(call: Call[FakeState], entity: str, rid: Any) -> Raw:
    row = call.fake.of(entity).get(int(rid)) if str(rid).isdigit() else None
    if row is None:
        raise VendorError(404, f"Cannot find entity of type {entity} with id {rid}.", code="errors.cannotFindEntity")
    return row


def get_entity(call: Call[FakeState]) -> Raw:
    entity = _entity(call)
    return {"data": project(_row(call, entity, call.path["id"]), _fields(call))}


def update_entity(call: Call[FakeState]) -> Raw:
    """``POST entity/{Entity}/{id}``: the connector only moves submissions (a status from the tenant's list)."""
    entity, body = _entity(call), call.json_object()
    row = _row(call, entity, call.path["id"])
    unknown = sorted(set(body) - set(row))
    if unknown or entity != "JobSubmission":
        raise VendorError(400, f"Invalid field(s) for {entity}: {', '.join(unknown) or 'read-only entity'}")
    if "status" in body:
        call.fake.set_status(row["id"], str(body.pop("status")))
    call.fake.touch(entity, row["id"], **body)
    return {"changedEntityId": row["id"], "changeType": "UPDATE"}


def _ref(call: Call[FakeState], entity: str, value: Any, name: str) -> Raw:
    rid = value.get("id") if isinstance(value, dict) else None
    if rid is None:
        raise VendorError(400, f"Missing required association {name} {{id}}")
    return _row(call, entity, rid)


def create_entity(call: Call[FakeState]) -> Raw:
    """``PUT entity/{Entity}``: Candidate, JobSubmission or Note; missing mandatory fields are a 400."""
    entity, body, fake = _entity(call), call.json_object(), call.fake
    missing = [k for k in WRITABLE.get(entity, ("-",)) if body.get(k) in (None, "")]
    if entity not in WRITABLE or missing:
        raise VendorError(400, f"Missing mandatory field(s) for {entity}: {', '.join(missing) or 'not creatable'}")
    if entity == "Candidate":
        row = fake.add_candidate(len(fake.of("Candidate")) + 1, **{k: v for k, v in body.items() if k != "id"})
    elif entity == "JobSubmission":
        cand = _ref(call, "Candidate", body["candidate"], "candidate")
        job = _ref(call, "JobOrder", body["jobOrder"], "jobOrder")
        if body["status"] not in STATUSES:
            raise VendorError(400, f"Invalid value for field status: {body['status']}")
        extra = {k: v for k, v in body.items() if k not in ("candidate", "jobOrder", "status", "id")}
        row = fake.submit(cand, job, body["status"], **extra)
    else:
        person, at = _ref(call, "Candidate", body["personReference"], "personReference"), fake.now()
        row = fake.add("Note", action=body.get("action") or "Other", comments=body["comments"],
                       jobOrder=body.get("jobOrder"), personReference={"id": person["id"], "_subtype": "Candidate"},
                       commentingPerson={"id": 1, "_subtype": "CorporateUser"}, isDeleted=False, dateAdded=at,
                       dateLastModified=at)  # fmt: skip
    return {"changedEntityId": row["id"], "changeType": "INSERT"}


def settings(call: Call[FakeState]) -> Raw:
    names = str(call.path["names"]).split(",")
    known = {"jobResponseStatusList": list(STATUSES)}
    return {n: known[n] for n in names if n in known}


def ping(call: Call[FakeState]) -> Raw:
    return {"sessionExpires": call.fake.now() + 600_000}


def put_file(call: Call[FakeState]) -> Raw:
    """``PUT file/Candidate/{id}`` with base64 ``fileContent``: answers ``{"fileId"}``."""
    cand, body = _row(call, "Candidate", call.path["id"]), call.json_object()
    if not body.get("name") or not body.get("fileContent") or not body.get("externalID") or not body.get("fileType"):
        raise VendorError(400, "externalID, fileType, name and fileContent are required")
    try:
        content = base64.b64decode(str(body["fileContent"]), validate=True)
    except (binascii.Error, ValueError):
        raise VendorError(400, "fileContent is not valid base64") from None
    return {"fileId": call.fake.add_file(cand["id"], body, content)["id"]}


def raw_file(call: Call[FakeState]) -> Response:
    row = _row(call, "CandidateFileAttachment", call.path["file_id"])
    if str(row["candidate"]["id"]) != str(call.path["id"]) or row["isDeleted"]:
        raise VendorError(404, f"Cannot find file {call.path['file_id']}.", code="errors.cannotFindEntity")
    content, content_type = call.fake.files[row["id"]]
    return Response(
        content, media_type=content_type, headers={"Content-Disposition": f'attachment; filename="{row["name"]}"'}
    )
