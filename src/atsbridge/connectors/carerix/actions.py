"""Carerix writes: the legacy REST API with XML bodies (the recorded attachment PUT is the authoritative
shape: ``<CREmployee><attachments><CRAttachment>...``, relations as ``<toX><CRY id="..."/></toX>``).

* create application: ``POST /CREmployee`` (found again by e-mail), then ``POST /CRMatch`` linking it to the
  vacancy (found again by employee + vacancy), then the files as in the recorded PUT. Screening answers
  have nowhere to go (a warning).
* move to stage: ``PUT /CRMatch/{id}`` with ``toStatusNode`` (idempotent).
* note: ``POST /CRNote`` linked to the match and the employee (found again by text); the entity name follows
  the GraphQL ``crNotePage`` it is read from [conn], the fields are unverified.
* attachment: ``PUT /CREmployee/{id}`` adding one ``CRAttachment`` (found again by file name and label).

Every non-idempotent request goes through create-once; ``find`` reads the vendor back over GraphQL. The REST
answer is read for the entity's ``id`` attribute (no answer was ever recorded [gap]).
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import FileData, WriteCall, WriteResult
from atsbridge.connectors.carerix.api import GRAPHQL, ref, rest, selection
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.core import xmldata
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate
#: The recorded example's CV type node (``toTypeNode`` 1461) is tenant data: used only when the integration's
#: config names it (``cv_type_node``).
ATTACH_LABEL = {"CV": "CV", "COVER_LETTER": "Motivatiebrief", "OTHER": "Document"}


WRITES = kit.WriteTable()


class Ref:
    """A relation in a REST body: ``<toVacancy><CRVacancy id="12"/></toVacancy>``."""

    def __init__(self, entity: str, rid: str) -> None:
        self.entity, self.rid = entity, rid


def document(entity: str, fields: Mapping[str, Any]) -> bytes:
    """``<?xml?><Entity><field>value</field>...`` (None values left out; a :class:`Ref` as a relation; a list
    of mappings as ``<field><Child>...</Child></field>`` keyed by ``"Entity"`` in each mapping)."""
    root = ET.Element(entity)
    _fill(root, fields)
    return b'<?xml version="1.0" encoding="utf-8" ?>' + ET.tostring(root, encoding="unicode").encode()


def _fill(parent: ET.Element, fields: Mapping[str, Any]) -> None:
    for key, value in fields.items():
        if value is None:
            continue
        child = ET.SubElement(parent, key)
        if isinstance(value, Ref):
            ET.SubElement(child, value.entity, {"id": value.rid})
        elif isinstance(value, list):
            for item in value:
                inner = ET.SubElement(child, str(item["Entity"]))
                _fill(inner, {k: v for k, v in item.items() if k != "Entity"})
        elif isinstance(value, Mapping):
            _fill(child, value)
        else:
            child.text = str(value)


def created_id(content: bytes, entity: str) -> str:
    """The id of the entity a REST write answered (``<Entity id="...">``)."""
    try:
        root = xmldata.parse(content)
    except xmldata.XmlRefused:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Carerix answered {entity} with broken XML",
                          retryable=True) from None  # fmt: skip
    rid = root.attrib.get("id") or xmldata.text(xmldata.to_dict(root).get("_id") if len(root) else None)
    if xmldata.local(root.tag) != entity or not rid:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Carerix answered without the {entity}'s id", retryable=True)
    return str(rid)


async def _send(source: kit.KitSource, method: str, path: str, entity: str, fields: Mapping[str, Any]) -> str:
    client = rest(source)
    if method == "POST":
        response = await kit.create_request(client, method, path, content=document(entity, fields))
    else:
        response = await client.request(method, path, content=document(entity, fields))
    return created_id(response.content, entity)


def quoted(value: str) -> str:
    """A string literal inside an EOF qualifier (a quote is escaped with a backslash [unverified])."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


async def _page(source: kit.KitSource, field: str, selection: str, qualifier: str) -> list[Raw]:
    query = kit.graphql.page_query(field, f"_id {selection}", {"qualifier": "String"})
    data = await kit.graphql.execute(source.client, GRAPHQL, query,
                                     {"qualifier": qualifier, "pageable": {"page": 0, "size": 100}})  # fmt: skip
    items = ((data.get(field) or {}) if isinstance(data.get(field), dict) else {}).get("items")
    return [dict(i) for i in items or [] if isinstance(i, dict)]


async def reread(source: kit.KitSource, stream: str, field: str, rid: str) -> tuple[str, Raw]:
    """A written record read back with its stream's own selection (write-through maps it like a sync)."""
    rows = await _page(source, field, selection(field).removeprefix("_id "), f"_id = {quoted(rid)}")
    if not rows:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"Carerix does not list {field} {rid} yet", retryable=True)
    return stream, rows[0]


def _application_id(call: WriteCall[Any]) -> str:
    rid = (call.application or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no Carerix match to write to")
    return str(rid)


def _stage_id(call: WriteCall[Any]) -> str:
    rid = (call.stage or {}).get("remote_id")
    if not rid:
        raise RemoteError("REMOTE.INPUT_INVALID", "this stage has no Carerix status node")
    return str(rid)


async def _attach(source: kit.KitSource, call: WriteCall[Any], employee: str, f: FileData, key: str) -> str:
    """The recorded PUT: one ``CRAttachment`` with its base64 content; found again by file name and label."""
    label = ATTACH_LABEL.get(f.type, "Document")
    type_node = (source.config or {}).get("cv_type_node") if f.type == "CV" else None
    content = base64.b64encode(f.content).decode()
    attachment = {"Entity": "CRAttachment", "label": label,
                  "toTypeNode": Ref("CRDataNode", str(type_node)) if type_node else None, "filePath": f.name,
                  "toAttachmentData": {"CRAttachmentData": {"content": content}}}  # fmt: skip

    async def create() -> Raw:
        await _send(source, "PUT", f"/CREmployee/{employee}", "CREmployee", {"attachments": [attachment]})
        found = await find(None)
        if found is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Carerix took the file but does not list it yet",
                              retryable=True)  # fmt: skip
        return found

    async def find(_: Any) -> Raw | None:
        rows = await _page(source, "crAttachmentPage", "fileName label",
                           f"toEmployee._id = {quoted(employee)} and fileName = {quoted(f.name)}")  # fmt: skip
        mine = [r for r in rows if r.get("label") == label]
        return {"id": str(mine[-1]["_id"])} if mine else None

    return str((await call.once(key, create, find=find))["id"])


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    c, vacancy = call.body.candidate, str(call.job_remote_id or (call.job or {}).get("remote_id") or "")
    email, warnings = c.email_address.lower(), list[str]()
    if not vacancy:
        raise RemoteError("REMOTE.INPUT_INVALID", "the job has no Carerix vacancy id")

    async def find_employee(_: Any) -> str | None:
        rows = await _page(source, "crEmployeePage", "emailAddress", f"emailAddress = {quoted(email)}")
        return str(rows[0]["_id"]) if rows else None

    async def create_employee() -> str:
        fields = {"firstName": c.first_name, "lastName": c.last_name, "emailAddress": c.email_address,
                  "mobileNumber": c.phone_number, "homeCity": c.location.city if c.location else None}  # fmt: skip
        return await _send(source, "POST", "/CREmployee", "CREmployee", fields)

    employee = call.progress.get("candidate_remote_id") or await find_employee(None)
    if employee is None:
        employee = await call.once_id("candidate", create_employee, find=find_employee, marker=email)
    call.step("candidate_remote_id", employee)

    async def find_match(_: Any) -> str | None:
        rows = await _page(source, "crMatchPage", "toVacancy { _id }", f"toEmployee._id = {quoted(str(employee))}")
        return next((str(r["_id"]) for r in rows if ref(r.get("toVacancy")) == vacancy), None)

    async def create_match() -> str:
        stage = (call.stage or {}).get("remote_id")
        status = Ref("CRDataNode", str(stage)) if stage else None
        fields = {"toEmployee": Ref("CREmployee", str(employee)), "toVacancy": Ref("CRVacancy", vacancy),
                  "toStatusNode": status}  # fmt: skip
        return await _send(source, "POST", "/CRMatch", "CRMatch", fields)

    match = await call.once_id("application", create_match, find=find_match, marker=f"{employee}:{vacancy}")
    files = list(call.files) + [a.value for a in call.answers if isinstance(a.value, FileData)]
    for i, f in enumerate(files):
        await _attach(source, call, str(employee), f, f"file_{i}")
    if any(not isinstance(a.value, FileData) for a in call.answers):
        warnings.append("Carerix's REST API has no screening answers: the answers were not sent")
    return WriteResult([await reread(source, "matches", "crMatchPage", match),
                        await reread(source, "employees", "crEmployeePage", str(employee))], warnings,
                       {"application_remote_id": match, "candidate_remote_id": str(employee)})  # fmt: skip


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    app_id = _application_id(call)
    await _send(source, "PUT", f"/CRMatch/{app_id}", "CRMatch", {"toStatusNode": Ref("CRDataNode", _stage_id(call))})
    return WriteResult([await reread(source, "matches", "crMatchPage", app_id)])


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    app_id, text = _application_id(call), call.body.content
    employee = (call.candidate or {}).get("remote_id")
    subject = str(call.remote_fields.get("subject") or "atsbridge") if isinstance(call.remote_fields, dict) else None

    async def find(_: Any) -> Raw | None:
        rows = await _page(source, "crNotePage", "notes", f"toMatch._id = {quoted(app_id)}")
        mine = [r for r in rows if r.get("notes") == text]
        return {"id": str(mine[-1]["_id"])} if mine else None

    async def create() -> Raw:
        fields = {"subject": subject, "notes": text, "toMatch": Ref("CRMatch", app_id),
                  "toEmployee": Ref("CREmployee", str(employee)) if employee else None}  # fmt: skip
        return {"id": await _send(source, "POST", "/CRNote", "CRNote", fields)}

    note = await call.once("note", create, find=find)
    return WriteResult([await reread(source, "notes", "crNotePage", str(note["id"]))],
                       created={"note_remote_id": str(note["id"])})  # fmt: skip


@WRITES.attachment
async def add_attachment(source: kit.KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    """Carerix attachments hang off the candidate (the recorded PUT): an application's file goes there too."""
    employee = (call.candidate or {}).get("remote_id")
    if not employee:
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no Carerix candidate to attach the file to")
    rid = await _attach(source, call, str(employee), call.files[0], "attachment")
    warnings = ["Carerix files belong to the candidate: the file was attached to the application's candidate"] if (
        call.action == "add_application_attachment") else []  # fmt: skip
    return WriteResult([await reread(source, "attachments", "crAttachmentPage", rid)], warnings,
                       {"attachment_remote_id": rid})  # fmt: skip


ACTIONS = WRITES.actions()
