"""eRecruiter writes, as the vendor's .NET client makes them [doc]. Every answer re-reads the applicant and its
applications, mapped by the ``applicants`` stream.

* ``create_application`` / ``create_candidate``: the applicant by e-mail (``GET Applicants/ByEmail/{email}``),
  else ``PUT Api/Applicant/?sendRegistrationEmail=false`` (create-once, found again by e-mail); then
  ``PUT Api/Application/?sendApplicationEmail=false`` ``{JobId, ApplicantId, Referrer, CoverLetter}`` (create-once,
  found again among ``Applications/{applicant}`` by job). Its answer ``{ApplicationId, Errors}`` names
  ``ApplicationAlreadyExists`` / ``JobIsClosed`` / ``JobDoesNotExist`` / ``ApplicantDoesNotExist`` [doc]; sent with
  HTTP 200 or a 4xx is not documented [gap]: both are read. A CV goes to ``PUT Api/Applicant/Cv/{applicant}``,
  other files to ``PUT Api/Applicant/Document/{applicant}`` (base64 ``Content``).
* ``add_application_note``: ``PUT Api/Applicant/History/{applicant}`` ``{JobId, Subject, Body, Type: Manual,
  CreatedBy}``. History entries cannot be read back (no GET, and the answer has no id), so a retry after a
  lost answer is refused as an unknown outcome instead of risking a duplicate.
* attachments: ``PUT Api/Applicant/Document/{applicant}`` (documents belong to the applicant), found again by name.
* tags: ``GET`` + ``POST Api/Applicant/{id}`` with the applicant's fields and the new ``Tags`` (the POST replaces
  the applicant: every field read is sent back) [doc: ``ApplicantPostRequest(ApplicantParameter)``].
* ``import_tracked_application``: the contract's ``erecruiter`` keys, read as Kombo documents them:
  ``application_and_job_remote_ids`` through ``Applications/ByJob/{job}``, ``application_and_candidate_remote_ids``
  through ``Applications/{applicant}``.
"""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import quote

from atsbridge.connectors import kit
from atsbridge.connectors.actions import AlreadyApplied, FileData, JobClosed, WriteCall, WriteResult, now_ms
from atsbridge.connectors.erecruiter.mappers import file_name
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
Create = bodies.CreateApplication | bodies.CreateCandidate
AUTHOR = "atsbridge"
ID = re.compile(r"^\d{1,12}$")
#: The ``ApplicantParameter`` fields a ``POST Api/Applicant/{id}`` takes back (the response adds read-only ones).
_READ_ONLY = ("Id", "DateOfUpdateByUser", "DateOfUpdateByApplicant", "HasCv", "HasPhoto",
              "HasApplicationsVisibleToApplicant", "DocumentsCount", "ActivitiesCount", "ExperiencesCount",
              "EducationsCount", "CertificatesCount", "LanguagesCount", "PublicationsCount",
              "ThirdPartyProfiles")  # fmt: skip


WRITES = kit.WriteTable()


def _num(value: Any, what: str) -> int:
    if value is None or not ID.match(str(value)):
        raise RemoteError("REMOTE.INPUT_INVALID", f"eRecruiter needs a numeric {what}; got {value!r}")
    return int(str(value))


def _applicant_id(call: WriteCall[Any]) -> int:
    return _num((call.candidate or {}).get("remote_id"), "applicant id")


async def applicant_row(source: kit.KitSource, applicant_id: int) -> Raw:
    """The row the ``applicants`` stream maps: the applicant and all its applications."""
    apps = await source.get_json(f"/Applications/{applicant_id}")
    return {"id": str(applicant_id), "_applicant": await source.get_json(f"/Applicant/{applicant_id}"),
            "_applications": apps if isinstance(apps, list) else []}  # fmt: skip


def _errors(body: Any) -> list[str]:
    errors = body.get("Errors") if isinstance(body, dict) else None
    return [str(e) for e in errors or []]


def _refuse(errors: list[str], job_id: Any) -> None:
    """``ApplicationCreateResponse.Errors`` (names, or their numbers 0-3 with default enum serialisation)."""
    names = {"0": "ApplicationAlreadyExists", "1": "JobIsClosed", "2": "JobDoesNotExist", "3": "ApplicantDoesNotExist"}
    found = [names.get(e, e) for e in errors]
    if "ApplicationAlreadyExists" in found:
        raise AlreadyApplied(f"the applicant already applied to eRecruiter job {job_id}")
    if "JobIsClosed" in found:
        raise JobClosed(f"eRecruiter job {job_id} is closed")
    if found:
        raise RemoteError("REMOTE.INPUT_INVALID", f"eRecruiter refused the application: {', '.join(found)}")


async def _find_applicant(source: kit.KitSource, email: str) -> Raw | None:
    rows = await source.get_json(f"/Applicants/ByEmail/{quote(email, safe='@')}")
    mine = [r for r in rows or [] if isinstance(r, dict) and str(r.get("Email") or "").lower() == email.lower()]
    return mine[0] if mine else None


def _applicant_body(call: WriteCall[Create]) -> Raw:
    c = call.body.candidate
    body: Raw = {"FirstName": c.first_name, "LastName": c.last_name, "Email": c.email_address, "IsActive": True,
                 "Phone": c.phone_number, "Gender": {"MALE": 1, "FEMALE": 2}.get(c.gender or "", 0),
                 "Referrer": call.body.source.name if call.body.source else None}  # fmt: skip
    if c.location:
        body.update(City=c.location.city, ZipCode=c.location.zip_code, Country=c.location.country)
    if c.social_links:
        body["Url"] = c.social_links[0].url
    extra = call.remote_fields.get("candidate") if isinstance(call.remote_fields, dict) else None
    return {**body, **(extra if isinstance(extra, dict) else {})}


async def _put_file(source: kit.KitSource, call: WriteCall[Any], applicant: int, f: FileData, key: str) -> Raw:
    """A document once (``PUT Api/Applicant/Document/{applicant}``); a resumed call adopts one of the same name."""
    name, _, ext = f.name.rpartition(".")
    path = f"/Applicant/Documents/{applicant}"

    async def find(_: Any) -> Raw | None:
        docs = await source.get_json(path, {"includeContent": "false"})
        return next((d for d in reversed(docs or []) if isinstance(d, dict) and file_name(d) == f.name), None)

    async def create() -> Raw:
        body = {"Name": name or f.name, "FileExtension": f".{ext}" if name else "", "IsPublic": False,
                "Type": {"CV": "CV", "COVER_LETTER": "Cover letter"}.get(f.type, "Other"),
                "Content": base64.b64encode(f.content).decode()}  # fmt: skip
        made = (await kit.create_request(source.client, "PUT", f"/Applicant/Document/{applicant}", json=body)).json()
        return {k: v for k, v in made.items() if k != "Content"} if isinstance(made, dict) else {}

    doc = await call.once(key, create, find=find, id_of=lambda d: d["Id"])
    return {**doc, "_applicant": {"id": str(applicant)}}


async def _put_cv(source: kit.KitSource, applicant: int, f: FileData) -> None:
    """``PUT Api/Applicant/Cv/{applicant}``: one CV per applicant, replaced (idempotent)."""
    ext = f.name.rpartition(".")[2] if "." in f.name else ""
    body = {"FileExtension": f".{ext}" if ext else "", "Content": base64.b64encode(f.content).decode()}
    await source.client.request("PUT", f"/Applicant/Cv/{applicant}", json=body)


@WRITES.create
async def create_application(source: kit.KitSource, call: WriteCall[Create]) -> WriteResult:
    c, job_id = call.body.candidate, _num(call.job_remote_id, "job id")
    email, warnings = c.email_address.strip(), list(call.warnings)

    async def create_applicant() -> object:
        url = "/Applicant/?sendRegistrationEmail=false&url="
        made = (await kit.create_request(source.client, "PUT", url, json=_applicant_body(call))).json()
        if not isinstance(made, dict) or made.get("Id") is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "eRecruiter created the applicant but sent no Id")
        return made["Id"]

    async def find_applicant(_: Any) -> object | None:
        return ((await _find_applicant(source, email)) or {}).get("Id")

    known = await find_applicant(None)  # an applicant is reused by e-mail, as the vendor's own portal does
    applicant = _num(known or await call.once_id("candidate", create_applicant, find=find_applicant,
                                                 marker=email.lower()), "applicant id")  # fmt: skip

    async def find(_: Any) -> Raw | None:
        apps = await source.get_json(f"/Applications/{applicant}")
        return next((a for a in apps or [] if isinstance(a, dict) and str(a.get("JobId")) == str(job_id)), None)

    async def create() -> Raw:
        body = {"JobId": job_id, "ApplicantId": applicant, "RefreshApplicationIfItAlreadyExists": False,
                "Referrer": call.body.source.name if call.body.source else None}  # fmt: skip
        letters = [f for f in call.files if f.type == "COVER_LETTER" and f.content_type.startswith("text/")]
        if letters:
            body["CoverLetter"] = letters[0].content.decode("utf-8", "replace")
        url = "/Application/?sendApplicationEmail=false&url="
        try:
            answer = (await kit.create_request(source.client, "PUT", url, json=body)).json()
        except RemoteError as exc:  # errors with a 4xx status [gap]: the body names them
            _refuse([m for m in ("ApplicationAlreadyExists", "JobIsClosed") if m in str(exc)], job_id)
            raise
        _refuse(_errors(answer), job_id)
        if not isinstance(answer, dict) or answer.get("ApplicationId") is None:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "eRecruiter accepted the application but sent no id")
        return {"Id": answer["ApplicationId"], "JobId": job_id, "ApplicantId": applicant}

    app = await call.once("application", create, find=find, marker=f"{applicant}:{job_id}", id_of=lambda a: a["Id"])
    files = list(call.files) + [a.value for a in call.answers if isinstance(a.value, FileData)]
    for i, f in enumerate(files):
        if f.type == "CV":
            await _put_cv(source, applicant, f)
        else:
            await _put_file(source, call, applicant, f, f"file_{i}")
    if call.answers:
        warnings.append("eRecruiter's API takes no screening answers: they were not sent")
    if call.stage:
        warnings.append("eRecruiter starts every application in its workflow's first status: the stage was ignored")
    return WriteResult([("applicants", await applicant_row(source, applicant))], warnings,
                       {"application_remote_id": str(app["Id"]), "candidate_remote_id": str(applicant)})  # fmt: skip


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    applicant = _applicant_id(call)

    async def create() -> Raw:
        body = {"JobId": _job_of(call), "Subject": "Note", "Body": call.body.content, "Type": 0, "CreatedBy": AUTHOR}
        await kit.create_request(source.client, "PUT", f"/Applicant/History/{applicant}", json=body)
        return {"id": f"{applicant}:{now_ms()}"}  # history entries have no id: applicant and time name it

    note = await call.once("note", create, find=None)
    return WriteResult([("applicants", await applicant_row(source, applicant))],
                       created={"note_remote_id": str(note["id"])})  # fmt: skip


def _job_of(call: WriteCall[Any]) -> int | None:
    """The application's job (its remote id, kept in the application's custom fields), so the history entry is
    filed under it."""
    job = ((call.application or {}).get("custom_fields") or {}).get("JobId")
    return int(job) if job is not None and ID.match(str(job)) else None


@WRITES.attachment
async def add_attachment(source: kit.KitSource, call: WriteCall[bodies.AttachmentBody]) -> WriteResult:
    applicant = _applicant_id(call)
    doc = await _put_file(source, call, applicant, call.files[0], "attachment")
    return WriteResult([("documents", doc), ("applicants", await applicant_row(source, applicant))],
                       created={"attachment_remote_id": str(doc["Id"])})  # fmt: skip


async def _tags(source: kit.KitSource, call: WriteCall[bodies.TagBody], *, add: bool) -> WriteResult:
    applicant, name = _applicant_id(call), call.body.tag.name
    person = await source.get_json(f"/Applicant/{applicant}")
    if not isinstance(person, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "eRecruiter answered an applicant that is not an object")
    current = [str(t) for t in person.get("Tags") or []]
    tags = kit.with_tag(current, name) if add else kit.without_tag(current, name)
    warnings = [kit.missing_tag_warning(name)] if tags is None and not add else []
    if tags is not None:
        body = {k: v for k, v in person.items() if k not in _READ_ONLY}
        await source.client.request("POST", f"/Applicant/{applicant}", json={**body, "Tags": tags})
    tag = [("tags", {"id": name.strip()})] if add else []  # tags have no listing: the tag row too
    return WriteResult([("applicants", await applicant_row(source, applicant)), *tag], warnings)


@WRITES.import_tracked
async def import_tracked(source: kit.KitSource, call: WriteCall[bodies.ImportTracked]) -> WriteResult:
    given = call.body.erecruiter
    app_id = _num(given.application_remote_id if given else call.body.application_remote_id, "application id")
    applicant: Any = given.candidate_remote_id if given else None
    if given is not None and given.job_remote_id is not None and applicant is None:
        job = _num(given.job_remote_id, "job id")
        rows = await source.get_json(f"/Applications/ByJob/{job}")
        found = next((r for r in rows or [] if isinstance(r, dict) and str(r.get("Id")) == str(app_id)), None)
        applicant = (found or {}).get("ApplicantId")
        if applicant is None:
            raise RemoteError("REMOTE.INPUT_INVALID", f"eRecruiter job {job} has no open application {app_id}")
    if applicant is None:
        raise RemoteError("REMOTE.INPUT_INVALID", "eRecruiter finds an application through its job or its applicant: "
                          "give erecruiter.job_remote_id or erecruiter.candidate_remote_id")  # fmt: skip
    row = await applicant_row(source, _num(applicant, "applicant id"))
    if not any(str(a.get("Id")) == str(app_id) for a in row["_applications"] if isinstance(a, dict)):
        raise RemoteError("REMOTE.INPUT_INVALID", f"eRecruiter applicant {applicant} has no application {app_id}")
    created = {"application_remote_id": str(app_id), "candidate_remote_id": str(applicant)}
    return WriteResult([("applicants", row)], created=created)


WRITES.add_tag(lambda s, c: _tags(s, c, add=True))
WRITES.remove_tag(lambda s, c: _tags(s, c, add=False))
ACTIONS = WRITES.actions()
