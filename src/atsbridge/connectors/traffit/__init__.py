"""TRAFFIT (PL), Integration API v2 (``https://{instance}.traffit.com/api/integration/v2``; reference §7).

TRAFFIT's public documentation is thin: the stored copies of its API Blueprint cover only the overview, the API
client set-up, the token request and public job posts [doc]. Everything else is third-party [3p] (a migration
plan summarising knowledge.traffit.com, Knit's use-case list, Kombo's passthrough table) and **unverified on a
tenant**; no traffic was recorded. Record fields are read defensively (see ``mappers``).

What the API imposes, and where it is encoded:

* Auth (``api.TraffitOAuth``): OAuth2 on the instance's host, ``POST /oauth2/token`` with the API client's id
  (``<instance>_<client>``) and secret. The documented example is the password grant (plus a TRAFFIT user's
  login) [doc]; a client-credentials variant is reported [3p]: the password grant is used when the optional
  username and password are given, client credentials otherwise. Scopes per resource family [3p].
* Paging, filtering and sorting travel in **request headers** [doc]: ``X-Request-Current-Page`` (from 1),
  ``X-Request-Page-Size``, ``X-Request-Filter`` (JSON ``{"field": {"value", "comparison"}}``),
  ``X-Request-Sort``; totals come back in ``X-Result-*`` headers [3p] and bodies are bare arrays [doc]. The
  kit's ``HeaderPages`` pager sends them (listing params named ``X-Request-*`` become headers) and stops at
  ``X-Result-Total-Pages`` or a short page. Listings are sorted by id so page numbers stay stable.
* Rate limits are undocumented [3p]: a modest client-side pace; 429s are backed off.
* Model [3p]: recruitment = job (with a workflow); employee = candidate; an employee inside a recruitment
  (``/recruitments/{id}/employees``) = application, remote id ``"<recruitment id>:<employee id>"`` (the pair is
  unique; whether the row has its own id is unverified); workflow states = stages, shared by every recruitment
  on that workflow (``/workflows`` with ``states`` [unverified shape]). Notes and files belong to the employee.
* Incremental (``streams``): employees by ``updated_at >=`` in ``X-Request-Filter`` [3p] (sent in UTC: TRAFFIT's
  local times are never earlier, so deltas over-read rather than miss); recruitments and their employees and
  rejections are listed in full every run (the fan-out needs every recruitment). No deletion feed [3p]: full
  syncs mark what vanished. Webhooks exist (``/webhooks``) but their payload and signature are undocumented.
* Outcome (``mappers.OUTCOMES``): an employee listed in ``/recruitments/{id}/rejections`` is DECLINED (reason
  from the rejection); HIRED by the workflow state's name (usual English/Polish names by default), since
  states are each customer's own: the per-integration status map (state or rejection reason names) wins.
* Writes (``actions``): create application (employee by e-mail, then added to the recruitment) and notes.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.traffit.actions import ACTIONS
from atsbridge.connectors.traffit.api import API
from atsbridge.connectors.traffit.mappers import OUTCOMES
from atsbridge.connectors.traffit.streams import STREAMS

_NO_ENDPOINT = "TRAFFIT's Integration API has no documented endpoint for it"
_UNCONFIRMED = "no TRAFFIT source documents an endpoint or body for it (third-party summaries only say stage moves " \
    "and rejections through the API are unconfirmed)"  # fmt: skip

CONNECTOR = kit.declare(
    tool="traffit",
    label="TRAFFIT",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    # recruitments have no confirmed visibility or employment fields; applications filter on what is mapped
    filters={},
    unavailable={
        "interviews": _NO_ENDPOINT,
        "offers": _NO_ENDPOINT,
        "scorecards": _NO_ENDPOINT,
        "roles": "only user and permission groups (/users/groups), whose meaning per tenant is unknown",
        "tags": "tags are readable only per employee (/employees/{id}/tags) and their shape is undocumented",
        "rejection_reasons": "no list endpoint: each rejection carries its own reason, kept on the application",
        "move_application_to_stage": _UNCONFIRMED,
        "reject_application": _UNCONFIRMED,
        "add_application_attachment": "the file upload body of /employees/{id}/files is undocumented",
        "add_candidate_attachment": "the file upload body of /employees/{id}/files is undocumented",
        "add_candidate_tag": "the tag write of /employees/{id}/tags is undocumented",
        "remove_candidate_tag": "the tag write of /employees/{id}/tags is undocumented",
        "add_application_result_link": _NO_ENDPOINT,
        "add_candidate_result_link": _NO_ENDPOINT,
        "import_tracked_application": _NO_ENDPOINT,
    },
    probe=kit.Probe(
        "/users",
        refused="this client id and secret (or the user's login)",
        forbidden="TRAFFIT accepted the client but denied access (403): give the API client the user, workflow, "
        "recruitment, employee and file scopes",
        not_found="TRAFFIT answered 404: check the instance name (the part before .traffit.com)",
    ),
    connect=kit.ConnectForm(
        instructions="In TRAFFIT open Settings > Integration with the TRAFFIT API, click +Add client, grant the "
        "scopes user, workflow, recruitment, employee and file, and Generate Client Secret. Enter your instance "
        "name, the client's id (<instance>_<client>) and secret; add a TRAFFIT user's login only if your client "
        "uses the password grant.",
        guide_url="https://api.traffit.com",
        extra=(
            FormField(
                "instance",
                "Instance",
                target="config",
                placeholder="acme",
                help="The part before .traffit.com in your TRAFFIT address.",
            ),
        ),  # fmt: skip
    ),
    download=kit.Download("/employees/{id}/content", id_pattern=r"^\d{1,12}/files/\d{1,12}$"),
)
