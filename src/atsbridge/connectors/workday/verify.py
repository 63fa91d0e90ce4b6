"""The Connect check: one candidate, one requisition and one worker read, and the security domain named when Workday
leaves elements out (a missing domain drops them silently instead of refusing with 403)."""

from __future__ import annotations

from typing import Any

from atsbridge.connectors import kit
from atsbridge.connectors.base import IntegrationInfo
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.http.probe import Explain, explain
from atsbridge.connectors.kit.soap import dig, many, one, to_dict
from atsbridge.connectors.workday.api import API, AUTH, HUMAN_RESOURCES, RECRUITING, VERSION, B

HOW = Explain("Workday", "this integration user and password (or API client and refresh token)",
              not_found="Workday answered 404: check the host and the tenant name")  # fmt: skip
#: (element a full record has, the security domain that shows it) per operation.
DOMAINS = {
    "Candidate": (("Candidate_Data/Name_Data", "Candidate Data: Personal Information"),
                  ("Candidate_Data/Contact_Data", "Candidate Data: Personal Information"),
                  ("Candidate_Data/Job_Application_Data", "Candidate Data: Job Application")),
    "Job_Requisition": (("Job_Requisition_Data", "Job Requisition Data"),),
    # worker domain names as Workday's security admins know them [3p]
    "Worker": (("Worker_Data/Personal_Data/Name_Data", "Person Data: Name"),),
}  # fmt: skip
CHECKS = (("Get_Candidates", "Candidate", RECRUITING), ("Get_Job_Requisitions", "Job_Requisition", RECRUITING),
          ("Get_Workers", "Worker", HUMAN_RESOURCES))  # fmt: skip


def missing_domains(records: str, row: Any) -> list[str]:
    """The domains whose elements ``row`` lacks (a prospect has no job application by nature)."""
    prospect = (kit.soap.text(dig(row, "Candidate_Data/Prospect_Data/Prospect")) or "").lower() in ("1", "true")
    out = []
    for path, domain in DOMAINS[records]:
        if dig(row, path) in (None, "", {}) and not (prospect and path.endswith("Job_Application_Data")):
            out.append(domain)
    return list(dict.fromkeys(out))


async def verify(info: IntegrationInfo) -> None:
    client = API.client(info)
    missing: list[str] = []
    try:
        for operation, records, service in CHECKS:
            one_row = B("Response_Filter", B("Page", text="1"), B("Count", text="1"))
            group = B("Response_Group", B("Include_Reference", text="true"),
                      B("Include_Personal_Information", text="true") if records == "Worker" else None)
            request = B(f"{operation}_Request", one_row, group, attrs={"version": VERSION})
            answer = to_dict(await kit.soap.call(client, service, request, AUTH.token(info), retry=False))
            row = one(many(dig(answer, f"Response_Data/{records}")))
            if row is not None:
                missing += missing_domains(records, row)
    except RemoteError as exc:
        raise ValueError(explain(exc, HOW, client.base_url)) from None
    finally:
        await client.aclose()
    if missing:
        domains = ", ".join(dict.fromkeys(missing))
        raise ValueError(f"Workday accepted the credentials but leaves data out: give the integration user's "
                         f"security group Get access to the domain(s) {domains}")  # fmt: skip
