"""Flatchr writes (reference §6.2): apply on the careers host, move to a column, reject (refused column, else
archive). Every action answers with the applicant re-read through the search (the ``applicants`` stream's
shape), with its vacancy and column attached as the stream attaches them.

* ``create_application``: ``POST {careers}/vacancy/candidate/json`` ``{vacancy: <vacancy slug>, token: <API
  key>, firstname, lastname, email, phone}`` [conn HrFlow; doc page "Créer un candidat"]. The answer's shape is
  undocumented [gap], so the applicant is read back by e-mail through the search; ``call.once`` records the
  intent first and a resumed call finds the applicant the same way instead of applying twice. Files and
  screening answers are not in the documented body: they are not sent (a warning says so).
* ``move_application_to_stage``: ``PUT /vacancy/{vacancy hash id}/applicant/{applicant}`` ``{column_id}``
  [doc] (idempotent).
* ``reject_application``: Flatchr has no rejection call. When the company has a column whose name means
  DECLINED (the integration's status map, else the default names "Refusé", "Refused"...), the applicant is
  moved there and stays visible as DECLINED; otherwise it is archived (``DELETE`` the applicant-in-vacancy
  [conn]), which removes it from the listings (the next sync marks it deleted). The reason is not stored.
"""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.flatchr.api import COLUMNS, VACANCIES, careers_url
from atsbridge.connectors.flatchr.mappers import OUTCOMES, application_remote_id, norm
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.outcomes import status_map_of
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate


WRITES = kit.WriteTable()


def _ids(call: WriteCall[Any]) -> tuple[str, str]:
    """``"<vacancy_id>:<applicant>"`` -> the two parts (checked before they reach a URL)."""
    vacancy, _, applicant = str((call.application or {}).get("remote_id") or "").partition(":")
    if not vacancy.isdigit() or not applicant.replace("-", "").replace("_", "").isalnum():
        raise RemoteError("REMOTE.INPUT_INVALID", "this record has no Flatchr applicant to write to")
    return vacancy, applicant


async def _vacancy(source: kit.KitSource, *, number: str | None = None, hash_id: str | None = None) -> Raw:
    table = await source.lookup(VACANCIES)
    found = table.get(number) if number else next((v for v in table.values() if v.get("id") == hash_id), None)
    if not found:
        raise RemoteError("REMOTE.INPUT_INVALID", "Flatchr does not list this vacancy (any more)")
    return dict(found)


async def _search(source: kit.KitSource, email: str) -> list[Raw]:
    response = await source.client.request("POST", "/search/applicants", json={"email": email})
    rows = response.json()
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


async def _with_context(source: kit.KitSource, row: Raw) -> Raw:
    columns, vacancies = await source.lookup(COLUMNS), await source.lookup(VACANCIES)
    return {**row, "_column": columns.get(norm(row.get("column")) or ""),
            "_vacancy": vacancies.get(str(row.get("vacancy_id")))}  # fmt: skip


async def _applicant(source: kit.KitSource, email: str, vacancy: str, applicant: str | None = None) -> Raw | None:
    for row in await _search(source, email):
        if str(row.get("vacancy_id")) == vacancy and (applicant is None or str(row.get("applicant")) == applicant):
            return await _with_context(source, row)
    return None


async def _put_column(source: kit.KitSource, vacancy_hash: str, applicant: str, column_id: str) -> Raw:
    column = int(column_id) if column_id.isdigit() else column_id
    response = await source.client.request("PUT", f"/vacancy/{vacancy_hash}/applicant/{applicant}",
                                           json={"column_id": column})  # fmt: skip
    body = response.json()
    return body if isinstance(body, dict) else {}


async def _reread(source: kit.KitSource, moved: Raw, vacancy: str, applicant: str) -> list[tuple[str, Raw]]:
    """The move answers the applicant in another shape [doc]: read the search row back by its e-mail."""
    email = str((moved.get("candidate") or {}).get("email") or "")
    row = await _applicant(source, email, vacancy, applicant) if email else None
    return [("applicants", row)] if row else []


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    c = call.body.candidate
    job = str(call.job_remote_id or (call.job or {}).get("remote_id") or "")
    vacancy = await _vacancy(source, hash_id=job)
    number, email = str(await _number_of(source, job)), c.email_address.strip().lower()

    async def find(_: Any) -> Raw | None:
        return await _applicant(source, email, number)

    async def create() -> Raw:
        token = source.info.credentials.get("api_key") if source.info else None
        payload: Raw = {"vacancy": vacancy.get("slug"), "token": token, "firstname": c.first_name,
                        "lastname": c.last_name, "email": c.email_address}  # fmt: skip
        if c.phone_number:
            payload["phone"] = c.phone_number
        await kit.create_request(source.client, "POST", f"{careers_url(source.config)}/vacancy/candidate/json",
                                 json=payload)  # fmt: skip
        found = await find(None)  # the answer's shape is undocumented: the applicant is read back
        if found is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "Flatchr accepted the candidate but does not list it yet",
                              retryable=True)  # fmt: skip
        return found

    row = await call.once("application", create, find=find, marker=email, id_of=lambda r: r["applicant"])
    applicant = str(row["applicant"])
    warnings = []
    if call.stage and call.stage.get("remote_id"):
        moved = await _put_column(source, job, applicant, str(call.stage["remote_id"]))
        row = (await _reread(source, moved, number, applicant) or [("applicants", row)])[0][1]
    if call.files or call.answers:
        warnings.append("Flatchr's documented apply body takes no files or screening answers: they were not sent")
    return WriteResult([("applicants", row)], warnings,
                       {"application_remote_id": application_remote_id(number, applicant),
                        "candidate_remote_id": applicant})  # fmt: skip


async def _number_of(source: kit.KitSource, hash_id: str) -> str:
    table = await source.lookup(VACANCIES)
    return next((k for k, v in table.items() if v.get("id") == hash_id), "")


@WRITES.move
async def move_stage(source: kit.KitSource, call: WriteCall[bodies.MoveStage]) -> WriteResult:
    number, applicant = _ids(call)
    vacancy = await _vacancy(source, number=number)
    moved = await _put_column(source, str(vacancy["id"]), applicant, str((call.stage or {}).get("remote_id")))
    return WriteResult(await _reread(source, moved, number, applicant))


def _refused_column(columns: dict[str, Raw], config: Any) -> Raw | None:
    """The first column whose title means DECLINED, by the integration's status map, else the default names."""
    override = status_map_of(config)
    for column in columns.values():
        title = norm(column.get("title"))
        if title and OUTCOMES.decide(None, stage=title, override=override, names=(title,)) == "DECLINED":
            return column
    return None


@WRITES.reject
async def reject(source: kit.KitSource, call: WriteCall[bodies.Reject]) -> WriteResult:
    number, applicant = _ids(call)
    vacancy = await _vacancy(source, number=number)
    refused = _refused_column(await source.lookup(COLUMNS), source.config)
    warnings = ["Flatchr stores no rejection reason: only the refusal was written"]
    if refused is not None:
        moved = await _put_column(source, str(vacancy["id"]), applicant, str(refused["id"]))
        return WriteResult(await _reread(source, moved, number, applicant), warnings)
    try:
        await source.client.request("DELETE", f"/vacancy/{vacancy['id']}/applicant/{applicant}")
    except RemoteError as exc:
        if exc.status != 404:  # already archived: a retry of a call whose answer was lost
            raise
    warnings.append("the company has no refused column: the applicant was archived and leaves Flatchr's listings")
    return WriteResult([], warnings)


ACTIONS = WRITES.actions()
