"""eRecruiter — the **Austrian** eRecruiter (erecruiter.net, ePunkt / karriere.at ecosystem), not eRecruiter.pl
(Grupa Pracuj). This is the product Kombo's ``erecruiter`` tool names (passthrough base ``https://{domain}/Api``,
reference ``api.erecruiter.net/swagger``) and whose keys the contract's ``import_tracked_application`` carries
(``application_and_job_remote_ids`` via ``Api/Applications/ByJob/{jobId}``, ``application_and_candidate_remote_ids``
via ``Api/Applications/{applicantId}``). Evidence: the vendor's own .NET client ``eRecruiter/eRecruiter.Api``
(requests, response classes, changelog) [doc] and the token sample of a customer installation's help page
(recorded, ``fakes/erecruiter/payloads``).

What the API imposes, and where it is encoded:

* Host per customer: ``https://{domain}/Api`` (the form asks for the host; ``api.DOMAIN``).
* Auth: ``POST ~/Api/`` ``{Key, MandatorId}`` -> ``{Token, Expires}``, then ``X-ApiToken: <token>`` on every call
  (``kit.SessionLogin``; a 401 logs in again once). A key's permissions (Applicants, ApplicationSearch, Users,
  ...) limit what it reads.
* No paging and no "list everything" call for applicants: jobs are listed per publication channel
  (``PublishedJobs?channel=``, the channels from ``GET Mandator``), applications per job (``Applications/ByJob``,
  slim ``{Id, JobId, ApplicantId}``), then each distinct applicant once (``Applicant/{id}`` + ``Applications/{id}``
  for status and workflow group). So a sync costs 2 + channels + jobs + 3 x applicants requests.
* What a sync therefore sees [unverified on a tenant]: jobs that are published on at least one channel (drafts
  and unpublished jobs have no listing), and applicants with an application on such a job. The changelog says
  ``ByJob`` returns "all open applications on a job": read here as every application of the job; if it leaves
  out closed (rejected/hired) applications, those still come through ``Applications/{applicant}`` when the
  applicant has another listed application, and are otherwise missed (then import them with
  ``import_tracked_application``, as Kombo's "tracked applications" mode does).
* Incremental: **none** (no changed-since filter on any read; applicants carry ``DateOfUpdateByUser/ByApplicant``
  but nothing filters by them). Every run reads everything; unchanged records hash the same. No deletion feed:
  the engine finds deletions after a complete listing.
* Stages: the application's ``Status`` name (customer-defined); no workflow listing exists, so stages are the
  names seen on applications (``kit.Derived``). Outcome (``mappers.OUTCOMES``): the status map by status name
  first, then ``WorkflowStatusGroup`` ``Accepted`` -> HIRED, ``Rejected`` -> DECLINED, else PENDING. Enums may come
  as numbers or names [gap]: both read.
* Tags are applicant strings; attachments are applicant documents (``Applicant/Documents/{id}``), downloaded as
  base64 JSON (``Applicant/Document/{id}?includeContent=true``). The CV (``Applicant/Cv/{id}``) is not listed
  (one more request per applicant; it is written on create).
* Writes: see ``actions``. Unavailable, with the reason users see, in ``unavailable=`` below.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.erecruiter.actions import ACTIONS
from atsbridge.connectors.erecruiter.api import API, DOMAIN
from atsbridge.connectors.erecruiter.mappers import OUTCOMES, file_name
from atsbridge.connectors.erecruiter.streams import STREAMS
from atsbridge.connectors.http.errors import RemoteError

__all__ = ["CONNECTOR", "STREAMS"]

_DOCUMENT = re.compile(r"^\d{1,12}$")
_NO_STAGE_WRITE = (
    "eRecruiter's API changes an application only by running one of its named workflow activities "
    "(POST Api/Application/{id} Activity), and does not say which status an activity leads to"
)


async def _download(info: IntegrationInfo, remote_id: str) -> tuple[bytes, str, str] | None:
    """``GET Api/Applicant/Document/{id}?includeContent=true`` answers the file inline as base64 ``Content``."""
    if not _DOCUMENT.match(remote_id):
        return None
    client = API.client(info)
    try:
        body = (
            await client.request("GET", f"/Applicant/Document/{remote_id}", params={"includeContent": "true"})
        ).json()
    except RemoteError as exc:
        if exc.status == 404:
            return None
        raise
    finally:
        await client.aclose()
    try:
        content = base64.b64decode(str(body.get("Content") or ""), validate=True)
    except (binascii.Error, ValueError, AttributeError):
        raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "eRecruiter sent a document that is not base64") from None
    name = file_name(body)
    return content, name, mimetypes.guess_type(name)[0] or "application/octet-stream"


CONNECTOR = kit.declare(
    tool="erecruiter",
    label="eRecruiter",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    # applications carry no dates, jobs no code, employment type or visibility: those filters have nothing to back
    filters={
        "applications": frozenset({"outcomes", "job_ids", "job_remote_ids", "current_stage_ids"}),
        "jobs": frozenset({"statuses", "remote_created_after", "name_contains", "post_url"}),
    },  # fmt: skip
    probe=kit.Probe(
        "/Ping",
        refused="this API key and mandator id",
        forbidden="eRecruiter accepted the API key but denied access (403): give the key the Applicants, "
        "ApplicationSearch and Users permissions",
        not_found="No eRecruiter API at this host (404): enter the host your eRecruiter API runs on",
    ),
    connect=kit.ConnectForm(
        instructions="In eRecruiter (erecruiter.net), create an API key for your mandator with the Applicants, "
        "ApplicationSearch and Users permissions, and enter it with the mandator id and your API host.",
        guide_url="https://api.erecruiter.net/swagger/ui/index",
        extra=(DOMAIN,),
    ),
    download=_download,
    unavailable={
        "interviews": "eRecruiter's API has no interview endpoints",
        "offers": "eRecruiter's API has no offer endpoints",
        "scorecards": "eRecruiter's API exposes only an application's numeric rating",
        "notes": "applicant history entries can be written (PUT Api/Applicant/History) but not read",
        "rejection_reasons": "eRecruiter's API names no rejection reasons (only the Rejected workflow group)",
        "roles": "eRecruiter's API lists users without roles",
        "move_application_to_stage": _NO_STAGE_WRITE,
        "reject_application": _NO_STAGE_WRITE,
    },
)
