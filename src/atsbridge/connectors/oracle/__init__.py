"""Oracle Recruiting Cloud (ORC), through the Fusion HCM REST API (ADF resources, version 11.13.18.05).

What the API imposes, and where it is encoded:

* **Host and auth**: every customer has its own pod host (``servername.fa.us2.oraclecloud.com``): the
  ``host`` config field fills ``https://{host}/hcmRestApi/resources/11.13.18.05``. Basic auth with a Fusion
  user [conn] (``api.API``). OAuth through an IAM/IDCS JWT assertion is [3p] only and not offered: a Fusion
  integration user is what the doc and every known client use. Every request sends ``REST-Framework-Version: 4``.
* **Verification at connect**: one read of each resource the sync needs (requisitions, candidates,
  applications); a 403 names the one privilege missing for it (``NEEDS``, [doc]).
* **Paging**: ``limit``/``offset`` → ``{items, count, hasMore, limit, offset, links}``. ``hasMore`` is
  unreliable with offset [3p, Oracle Doc ID 2728432.1]: the listing stops only on an empty or short page
  (``kit.Offset``) and never reads ``hasMore``.
* **Rate limits**: none published [gap]; a modest 5 requests/s default, changeable per integration.
* **Incremental**: ``q=LastUpdateDate>'<ISO>'`` on requisitions, candidates, applications and offers ([3p] syntax,
  the most defensible reading of ADF's row-match ``q``; one constant in ``api.since``).
* **Deletions**: Oracle has no deletion feed (HCM Atom feeds cover workers only [3p]): deletions are found
  only by the engine after a *complete* full listing; a failed or partial sync never marks anything deleted.
* **Stages and outcomes**: a stage is a state within a phase (``mappers``). Phases and states are per
  Candidate Selection Process and customer-configurable: the outcome rule reads ``DisqualifiedFlag``, then
  the state codes REJECTED_EMPLOYER/WITHDRAWN_BY_CANDIDATE (DECLINED) and the HR phase (HIRED), and each
  integration's ``status_map`` (by state name, phase name or code) overrides it. Rejection reasons are the
  rejecting states (code ``REJECTED_EMPLOYER``), so a rejection is a move into one of them.
* **Offers**: ``recruitingJobOffers`` [doc resource; field names [gap], ``mappers.map_offer``].
* **Writes**: ``action/move`` for moving and rejecting; candidate attachments
  (``recruitingCandidates/{CandidateNumber}/child/attachments``) for both attachment actions and both
  result-link actions (a ``WEB_PAGE`` attachment), create-once, with ``remote_fields.oracle`` applied.

Unavailable, and why (also in ``unavailable=`` below): notes, tags, scorecards, application creation.
Not built yet though the API allows them (the feasibility table's "~"): interviews (application children),
users (``recruitingRepresentativesLOV``), reading attachments (per-candidate children + LOB download).
No recorded payload exists: the shapes are the documented ones, field by field (``mappers``, the
fake's docstring).
"""

from __future__ import annotations

import dataclasses

from atsbridge.connectors import kit
from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo
from atsbridge.connectors.kit.connect import connect_spec
from atsbridge.connectors.oracle import mappers as m
from atsbridge.connectors.oracle.actions import ACTIONS
from atsbridge.connectors.oracle.api import API
from atsbridge.connectors.oracle.streams import STREAMS

#: resource -> the privilege that opens it [doc; the applications one is abbreviated in the reference
#: (``…JOB_APPLICATIONS_RO``): read with the candidates' prefix].
NEEDS = {
    "/recruitingJobRequisitions": "ORA_IRC_REST_SERVICE_ACCESS_JOB_REQUISITIONS_RO",
    "/recruitingCandidates": "IRC_REST_SERVICE_ACCESS_CANDIDATES_PRIV",
    "/recruitingJobApplications": "IRC_REST_SERVICE_ACCESS_JOB_APPLICATIONS_RO",
}
PRIVILEGES = f"{', '.join(NEEDS.values())} (or the Human Capital Management Integration Specialist role)"
FORM = kit.ConnectForm(
    instructions=f"Create a Fusion integration user with {PRIVILEGES}, and enter your Fusion host.",
    guide_url="https://docs.oracle.com/en/cloud/saas/human-resources/farws/index.html",
    extra=(FormField("host", "Fusion host", target="config",
                     help="The host of your Oracle Fusion pod, e.g. servername.fa.us2.oraclecloud.com."),),
)  # fmt: skip


def _probe(path: str, privilege: str) -> kit.Probe:
    return kit.Probe(
        path,
        {"limit": 1, "onlyData": "true"},
        refused="this Fusion user name and password",
        forbidden=f"Oracle accepted the user but denied {path.strip('/')} (403): grant it {privilege}",
        not_found="Oracle answered 404: check the host (the Fusion pod, e.g. servername.fa.us2.oraclecloud.com)",
    )


def _verify_each() -> ConnectSpec:
    """One probe per resource the sync reads, so a 403 names the exact privilege missing (the kit's Probe is
    one request; the first refusal wins)."""
    specs = [connect_spec("Oracle Recruiting Cloud", API, FORM, _probe(p, priv)) for p, priv in NEEDS.items()]

    async def verify(info: IntegrationInfo) -> None:
        for spec in specs:
            await spec.verify(info)

    return dataclasses.replace(specs[0], verify=verify)


_CONNECTOR = kit.declare(
    tool="oracle",
    label="Oracle Recruiting Cloud",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=m.OUTCOMES,
    filters={"jobs": frozenset({"name_contains", "remote_created_after", "job_codes"})},  # no status [gap]
    unavailable={
        "notes": "Oracle Recruiting's REST API has no notes resource",
        "scorecards": "Oracle Recruiting's REST API exposes no interview feedback",
        "tags": "Oracle Recruiting has no candidate tags in its REST API",
        "add_application_note": "Oracle Recruiting's REST API has no notes resource",
        "add_candidate_tag": "Oracle Recruiting has no candidate tags in its REST API",
        "remove_candidate_tag": "Oracle Recruiting has no candidate tags in its REST API",
        "create_application": "applications are created only through recruitingCEJobApplications, which Oracle "
        "reserves for its own careers sites",
        "import_tracked_application": "applications are created only through Oracle's internal careers-site API",
    },
    probe=_probe("/recruitingJobRequisitions", NEEDS["/recruitingJobRequisitions"]),
    connect=FORM,
)
CONNECTOR = dataclasses.replace(_CONNECTOR, connect=_verify_each())
