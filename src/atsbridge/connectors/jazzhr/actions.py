"""JazzHR writes [conn: the .NET SDK's POST bodies; reference §2.7]. Every POST also carries ``apikey`` in its JSON
body, as the SDK sends it (the query key is added by the client's auth as on every call).

* ``create_application``: ``POST /applicants`` with the job id (``job``) creates the applicant and applies it
  [3p: Merge, older notes; the answer's key is unverified: ``prospect_id``]; create-once, found again by name
  filter + email on a retry.
* ``add_application_note``: ``POST /notes`` ``{applicant_id, user_id, contents, security}`` -> ``{comment_id}``:
  JazzHR notes hang off the applicant (they show as its ``comments``). The author is ``config.user_id`` or the
  first super admin listed. Create-once, found again among the applicant's comments by text.
* ``add_*_result_link``: a note (JazzHR has no result links).
* ``add_candidate_tag``: a category by name (``POST /categories`` when missing) and
  ``POST /categories2applicants``; both create-once.
Moving a workflow step, rejecting and attachments have no documented call (reference §2.7: unverified), so
they are not declared (``INTEGRATION.ACTION_NOT_AVAILABLE``); removing a tag has no call either.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from atsbridge.connectors import kit
from atsbridge.connectors.actions import WriteCall, WriteResult
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.jazzhr.api import safe_id
from atsbridge.model import write_bodies as bodies

Raw = dict[str, Any]
AUTHOR = kit.Memo[str]("jazzhr_author")


WRITES = kit.WriteTable()


async def _post(source: kit.KitSource, path: str, body: Raw) -> Raw:
    """A create POST (no retry on 5xx or timeouts); the answer must be an object."""
    key = str((source.info.credentials.get("api_key") if source.info else "") or "")
    answer = (await kit.create_request(source.client, "POST", path, json={"apikey": key, **body})).json()
    if not isinstance(answer, dict):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"JazzHR answered POST {path} with no object")
    return answer


async def applicant(source: kit.KitSource, applicant_id: str) -> Raw:
    found = await source.get_json(f"/applicants/{safe_id(applicant_id, 'applicant')}")
    if not isinstance(found, dict) or not found.get("id"):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", f"JazzHR sent no applicant {applicant_id}")
    return found


def _candidate_id(call: WriteCall[Any]) -> str:
    return safe_id((call.candidate or {}).get("remote_id"), "candidate")


async def _author(source: kit.KitSource) -> str:
    async def first_admin() -> str:
        users = await source.all_records("users", "/users")
        admins = [u for u in users if "admin" in str(u.get("type") or "").lower()] or users
        if not admins:
            raise RemoteError("REMOTE.INPUT_INVALID", "JazzHR notes need an author: set config user_id")
        return str(admins[0]["id"])

    configured = source.config.get("user_id")
    return str(configured) if configured else await source.memo(AUTHOR, first_admin)


async def _note(source: kit.KitSource, call: WriteCall[Any], content: str) -> WriteResult:
    cid = _candidate_id(call)
    extra = call.remote_fields.get("note")
    body: Raw = {"applicant_id": cid, "user_id": await _author(source), "contents": content, "security": "1",
                 **(extra if isinstance(extra, dict) else {})}  # fmt: skip

    async def create() -> Raw:
        return {"id": (await _post(source, "/notes", body)).get("comment_id")}

    async def find(_: Any) -> Raw | None:
        comments = kit.as_list((await applicant(source, cid)).get("comments"))
        return next(({"id": c["id"]} for c in reversed(comments) if c.get("text") == content), None)

    note = await call.once("note", create, find=find)
    if not note.get("id"):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "JazzHR created the note but sent no comment_id")
    return WriteResult([("applicants", await applicant(source, cid))], created={"note_remote_id": str(note["id"])})


@WRITES.note
async def add_note(source: kit.KitSource, call: WriteCall[bodies.Note]) -> WriteResult:
    return await _note(source, call, call.body.content)


@WRITES.result_link
async def add_result_link(source: kit.KitSource, call: WriteCall[bodies.ResultLink]) -> WriteResult:
    """No result links in JazzHR: a note on the applicant."""
    done = await _note(source, call, kit.result_link_text(call.body))
    done.warnings.append(kit.result_link_warning("JazzHR"))
    return done


@WRITES.add_tag
async def add_tag(source: kit.KitSource, call: WriteCall[bodies.TagBody]) -> WriteResult:
    cid, name = _candidate_id(call), call.body.tag.name.strip()
    current = await applicant(source, cid)
    if any(kit.same_tag(str(c.get("name") or ""), name) for c in kit.as_list(current.get("categories"))):
        return WriteResult([("applicants", current)], warnings=[f"the candidate already has the tag {name!r}"])

    async def find_category(_: Any) -> Raw | None:
        categories = await source.all_records("categories", "/categories")
        return next((c for c in categories if kit.same_tag(str(c.get("name") or ""), name)), None)

    async def create_category() -> Raw:
        return {"id": (await _post(source, "/categories", {"name": name})).get("category_id"), "name": name}

    category = await find_category(None) or await call.once("category", create_category, find=find_category)

    async def link() -> Raw:
        answer = await _post(source, "/categories2applicants", {"applicant_id": cid, "category_id": category["id"]})
        return {"id": answer.get("pro2cat_id") or category["id"]}

    async def find_link(_: Any) -> Raw | None:
        held = kit.as_list((await applicant(source, cid)).get("categories"))
        return next(({"id": c["category_id"]} for c in held if str(c.get("category_id")) == str(category["id"])), None)

    await call.once("tagging", link, find=find_link)
    records = [("categories", {"id": category["id"], "name": category.get("name") or name})]
    return WriteResult([*records, ("applicants", await applicant(source, cid))])


async def _find_applicant(source: kit.KitSource, first: str, last: str, email: str, job_id: str) -> Raw | None:
    """An applicant of this name (path filter ``/name/{first last}``) with this email who applied to the job."""
    rows = await source.all_records("applicants", f"/applicants/name/{quote(f'{first} {last}', safe='')}")
    for row in rows:
        found = await applicant(source, str(row["id"]))
        jobs = {str(j.get("job_id")) for j in kit.as_list(found.get("jobs"))}
        if str(found.get("email") or "").lower() == email.lower() and job_id in jobs:
            return found
    return None


@WRITES.create
async def create_application(
    source: kit.KitSource, call: WriteCall[bodies.CreateApplication | bodies.CreateCandidate]
) -> WriteResult:
    c, job_id = call.body.candidate, safe_id(call.job_remote_id, "job")
    payload: Raw = {"first_name": c.first_name, "last_name": c.last_name, "email": c.email_address, "job": job_id}
    if c.phone_number:
        payload["phone"] = c.phone_number
    for link in c.social_links or []:
        if "linkedin.com" in link.url:
            payload["linkedin"] = link.url
    extra = call.remote_fields.get("application")
    payload.update(extra if isinstance(extra, dict) else {})

    async def create() -> Raw:
        answer = await _post(source, "/applicants", payload)
        rid = answer.get("prospect_id") or answer.get("id")
        if not rid:
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "JazzHR accepted the applicant but sent no id",
                              retryable=True)  # fmt: skip
        return await applicant(source, str(rid))

    async def find(_: Any) -> Raw | None:
        return await _find_applicant(source, c.first_name, c.last_name, c.email_address, job_id)

    found = await call.once("applicant", create, find=find, marker=c.email_address.lower())
    cid = str(found["id"])
    links = await source.all_records("applicants2jobs", f"/applicants2jobs/applicant_id/{cid}")
    app = next((a for a in links if str(a.get("job_id")) == job_id), None)
    if app is None:
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "JazzHR created the applicant but lists no application yet",
                          retryable=True)  # fmt: skip
    entry: Raw = next((j for j in kit.as_list(found.get("jobs")) if str(j.get("job_id")) == job_id), {})
    app = {**app, "_hire": None, "_progress": entry.get("applicant_progress")}
    warnings = ["JazzHR's REST API takes no screening answers or files on create; not sent"] if (
        call.answers or call.files) else []  # fmt: skip
    return WriteResult([("applicants", found), ("applicants2jobs", app)], warnings,
                       {"application_remote_id": str(app["id"]), "candidate_remote_id": cid})  # fmt: skip


ACTIONS = WRITES.actions()
