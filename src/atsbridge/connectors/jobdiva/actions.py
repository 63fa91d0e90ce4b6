"""JobDiva writes (``POST /apiv2/jobdiva/...``, JSON bodies; each answers a bare value, not a record).

* ``add_application_note``: ``createCandidateNote`` ``{candidateid, note, action?, link2AnOpenJob}`` answers
  the new note's id (a number). Notes belong to the candidate; the application's job is linked. Not
  idempotent: through ``call.once``, whose ``find`` looks for the same text on the candidate in the notes
  report since the attempt started.

Signatures from the public copy of JobDiva's API source [3p] (``CandidateV2Controller``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.jobdiva import mappers as m
from atsbridge.connectors.jobdiva.api import BI, OVERLAP, WRITE, bi_time
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]


def _rid(record: Raw | None, what: str) -> str:
    rid = str((record or {}).get("remote_id") or "")
    if not rid.isdigit():
        raise RemoteError("REMOTE.INPUT_INVALID", f"the {what} has no JobDiva id")
    return rid


def _number(answer: Any, what: str) -> str:
    """The bare id a create answers (``1234`` or ``"1234"``)."""
    value = str(answer).strip().strip('"')
    if not value.isdigit():
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"JobDiva answered {what} without an id: {value[:100]!r}")
    return value


async def _notes_since(source: kit.KitSource, started: datetime) -> list[Raw]:
    params = {"fromDate": bi_time(started - OVERLAP), "toDate": bi_time(datetime.now(UTC) + timedelta(days=1))}
    return [dict(r) for r in await source.all_records("notes", f"{BI}/NewUpdatedCandidateNoteRecords", params)]


async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    candidate_id = _rid(call.candidate, "candidate")
    job_id = str((call.job or {}).get("remote_id") or "")
    content = call.body.content
    body: Raw = {"candidateid": int(candidate_id), "note": content}
    if job_id.isdigit():
        body["link2AnOpenJob"] = int(job_id)
    extra = call.remote_fields.get("note")
    if isinstance(extra, dict):
        body.update(extra)

    def same(row: Raw) -> bool:
        return m.first(row, "CANDIDATEID") == candidate_id and m.text(row.get("NOTE")) == content.strip()

    async def create() -> Raw:
        response = await kit.create_request(source.client, "POST", f"{WRITE}/createCandidateNote", json=body)
        note_id = _number(response.text, "the note")
        return {"NOTEID": note_id, "CANDIDATEID": candidate_id, "NOTE": content, "JOBID": job_id or None,
                "DATECREATED": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")}  # fmt: skip

    async def find(marker: object) -> Raw | None:
        started = datetime.fromtimestamp(int(str(marker)) / 1000, UTC)
        return next((row for row in await _notes_since(source, started) if same(row)), None)

    async def fetch(note_id: str) -> Raw:  # a replay: the note as created (the report has no by-id read)
        return {"NOTEID": note_id, "CANDIDATEID": candidate_id, "NOTE": content, "JOBID": job_id or None}

    note = await call.once("note", create, find=find, fetch=fetch, id_of=lambda raw: raw["NOTEID"])
    return WriteResult([("notes", note)], created={"note_remote_id": str(note["NOTEID"])})


ACTIONS = kit.writes(kit.Write("add_application_note", bodies.Note, add_note))
