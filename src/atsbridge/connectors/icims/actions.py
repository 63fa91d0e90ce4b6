"""iCIMS writes (feasibility table: create workflow, PATCH status; result links on the workflow).

* ``create_application``: ``POST /people`` (unless a person with that email exists) then
  ``POST /applicantworkflows`` ``{baseprofile, associatedprofile, status?, source?, sourcename?}``; both answer
  201 with an empty body and the new id in ``Location`` [rec]. Neither is idempotent: each goes through
  ``call.once_id``, whose ``find`` is a Search (``person.email``; ``applicantworkflow.person.id`` +
  ``applicantworkflow.job.id`` [rec]).
* ``move_application_to_stage``: ``PATCH /applicantworkflows/{id}`` ``{"status": {"id": node}}`` -> 204 [rec];
  idempotent, so sent as is.
* ``add_application_result_link`` / ``add_candidate_result_link``: ``PATCH /applicantworkflows/{id}`` with an
  ``assessmentresults`` entry [doc field] ``{assessmentname{value}, assessmenturl, assessmentstatus{id},
  assessmentnotes, assessmentdate}`` as an iCIMS assessment partner's client sends it [conn], plus the contract's
  ``remote_fields.icims.assessment_package_id`` (Kombo requires it [conn]) as ``assessmentpackageid`` [gap: the
  field name is the most defensible reading; it is built in :func:`_result_entry` only]. ``D37002019001`` is the
  standard "Complete" status [conn]. The PATCH appends, so it is sent only when no entry with that URL exists
  yet (a retried call finds its own entry: never twice).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.icims.api import new_id, search_date
from atsbridge.connectors.icims.streams import PERSON_FIELDS, WORKFLOW_FIELDS
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Body = bodies.CreateApplication | bodies.CreateCandidate
#: The standard assessment status "Complete" [conn].
COMPLETE = "D37002019001"


WRITES = kit.WriteTable()


async def search(source: kit.KitSource, profile: str, *filters: tuple[str, str]) -> list[str]:
    body = {"filters": [{"name": n, "value": [v], "operator": "="} for n, v in filters], "operator": "&"}
    response = await source.client.request("POST", f"/search/{profile}", json=body)
    hits = orjson.loads(response.content).get("searchResults") or []
    return sorted(str(h["id"]) for h in hits if isinstance(h, dict) and h.get("id") is not None)


async def profile(source: kit.KitSource, kind: str, rid: str, fields: str) -> Raw:
    found = await source.get_json(f"/{kind}/{rid}", {"fields": fields})
    if not isinstance(found, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"iCIMS answered /{kind}/{rid} without a profile")
    return {**found, "_id": rid}


async def _post(source: kit.KitSource, path: str, payload: Raw) -> str:
    try:
        response = await kit.create_request(source.client, "POST", path, json=payload)
    except RemoteError as exc:
        if exc.status in (400, 409) and "already" in exc.message.lower():
            raise AlreadyApplied(exc.message) from None
        raise
    return new_id(response.headers.get("location"))


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Body]) -> WriteResult:
    c, job_id = call.body.candidate, str(call.job_remote_id)
    email = c.email_address.lower()

    async def find_person(_: Any) -> str | None:
        found = await search(source, "people", ("person.email", email))
        return found[0] if found else None

    async def create_person() -> str:
        payload: Raw = {"firstname": c.first_name, "lastname": c.last_name, "email": email}
        if c.phone_number:
            payload["phones"] = [{"phonenumber": c.phone_number}]
        return await _post(source, "/people", payload)

    person = await find_person(None) if "person_remote_id" not in call.progress else None
    person = person or await call.once_id("person", create_person, find=find_person, marker=email)

    async def find_workflow(_: Any) -> str | None:
        found = await search(source, "applicantworkflows", ("applicantworkflow.person.id", person),
                             ("applicantworkflow.job.id", job_id))  # fmt: skip
        return found[0] if found else None

    async def create_workflow() -> str:
        payload: Raw = {"baseprofile": int(job_id) if job_id.isdigit() else job_id,
                        "associatedprofile": int(person) if person.isdigit() else person}  # fmt: skip
        if call.stage and call.stage.get("remote_id"):
            payload["status"] = {"id": str(call.stage["remote_id"])}
        source_name = getattr(call.body.source, "name", None) if call.body.source else None
        if source_name:
            payload["sourcename"] = source_name
        return await _post(source, "/applicantworkflows", payload)

    workflow = await call.once_id("workflow", create_workflow, find=find_workflow, marker=f"{person}:{job_id}")
    warnings = ["iCIMS files go through the Binary Files API, which this connector does not write: not sent"
                ] if call.files else []  # fmt: skip
    return WriteResult(
        [("applicantworkflows", await profile(source, "applicantworkflows", workflow, WORKFLOW_FIELDS)),
         ("people", await profile(source, "people", person, PERSON_FIELDS))],
        warnings, {"application_remote_id": workflow, "candidate_remote_id": person},
    )  # fmt: skip


def _application_id(call: WriteCall[Any]) -> str:
    rid = (call.application or {}).get("remote_id")
    if rid is None:
        raise RemoteError("REMOTE.INPUT_INVALID", "iCIMS: the application has no remote id")
    return str(rid)


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    rid = _application_id(call)
    node = str((call.stage or {}).get("remote_id") or "")
    await source.client.request("PATCH", f"/applicantworkflows/{rid}", json={"status": {"id": node}})
    return WriteResult([("applicantworkflows", await profile(source, "applicantworkflows", rid, WORKFLOW_FIELDS))])


def _result_entry(call: WriteCall[bodies.ResultLink]) -> Raw:
    entry: Raw = {
        "assessmentname": {"value": call.body.label}, "assessmenturl": call.body.url,
        "assessmentstatus": {"id": COMPLETE}, "assessmentdate": search_date(datetime.now(UTC)),
        "assessmentpackageid": str(call.remote_fields["assessment_package_id"]),
    }  # fmt: skip
    if call.body.details:
        entry["assessmentnotes"] = kit.result_link_text(call.body)
    return entry


async def _link(source: kit.KitSource, rid: str, entry: Raw) -> None:
    current = await profile(source, "applicantworkflows", rid, "assessmentresults")
    listed = [e for e in current.get("assessmentresults") or [] if isinstance(e, dict)]
    if any(e.get("assessmenturl") == entry["assessmenturl"] for e in listed):
        return  # already there (a retry of this call): never twice
    await source.client.request("PATCH", f"/applicantworkflows/{rid}", json={"assessmentresults": [entry]})


@WRITES.result_link
async def add_result_link(source: kit.KitSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    """On the application, or (candidate result link) on each of the candidate's applications."""
    if not call.remote_fields.get("assessment_package_id"):
        raise RemoteError("REMOTE.INPUT_INVALID", "iCIMS result links need remote_fields.icims.assessment_package_id "
                          "(the assessment package the result belongs to)")  # fmt: skip
    if call.application is not None:
        targets = [_application_id(call)]
    else:
        person = str((call.candidate or {}).get("remote_id"))
        targets = await search(source, "applicantworkflows", ("applicantworkflow.person.id", person))
    if not targets:
        raise RemoteError("REMOTE.INPUT_INVALID", "iCIMS keeps results on applications; this candidate has none")
    entry = _result_entry(call)
    for rid in targets:
        await _link(source, rid, entry)
    return WriteResult()


ACTIONS = WRITES.actions()
