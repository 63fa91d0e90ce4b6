"""Eploy (UK), the REST API (``https://{host}/api``; reference §9: Eploy's support articles, a customer's
sync scripts [conn], Kombo's passthrough ``eploy/api``).

What the API imposes, and where it is encoded:

* Host: every customer has its own (``acme.eploy.net`` or a custom domain): the form asks for the host
  (``api.HOST``), filled into ``https://{host}/api`` by the kit.
* Auth: OAuth2 client credentials, ``POST /api/token`` with a **JSON** body ``{grant_type, client_id,
  client_secret}`` [doc] (``kit.OAuthClientCredentials(json_body=True)``, the token URL on the customer's
  host). Tokens live 60 minutes from v47 (10 before); there is no refresh token: a new token is asked for
  before expiry and once on a 401. The key's API user needs exactly one role and an allowed IP range, or
  every call is refused: the Connect probe says so.
* Lists are searches: ``POST /api/{entity}/search`` with ``{"Paging": {"RecordsPerPage", "RequestedPage"},
  "Filters": [...], "ResponseBlocks": [...]}`` answering ``{"Records", "TotalPages", ...}`` [conn]
  (``kit.BodyPage``). Only the requested blocks come back, so each stream names its blocks.
* Incremental: a ``Filters`` rule ``<Entity>.ModificationDate GreaterThan <ISO>`` [conn] on every search
  (``kit.BodySince``). No deletion feed was found [gap]: complete full listings mark what vanished deleted.
* Rate: none documented [gap]; a modest pace, and a 429 (``Retry-After`` honoured) backs off.
* Errors: ``{"error_message": "..."}`` (the recorded 400 of ``candidates/validatepasswordpolicy`` [doc]).
* Model: vacancies -> jobs, candidates, applications (``Candidate{Id}``, ``Vacancy{Id}``, ``Workflow{Stage,
  Status}``), users, actions (Eploy's diary) -> notes, or interviews when the action type names an interview
  (action types are customer-configured: by name [gap]). Stages are learnt from the applications'
  ``Workflow.Stage`` blocks (one global pipeline): the workflows module's answer shape is not public [gap].
* Outcome (``mappers.OUTCOMES``): a ``Placement`` -> HIRED; otherwise the customer-configured
  ``Workflow.Status`` description, through the integration's status map first, then the usual names
  (Rejected, Unsuccessful, Withdrawn... -> DECLINED), else PENDING.
* Writes (``actions.py``): a note is an action inserted with ``POST /api/actions`` (scope ``actions.insert``
  [doc]); create application inserts the candidate (``POST /api/candidates`` [doc], an existing one with the
  e-mail reused) and the application (``POST /api/applications`` [unverified]). All created once.

Unverified (no Eploy record was ever recorded): every record's block names beyond those a customer's script
requests, the search answer's fields beyond ``Records``/``TotalPages``, the insert bodies and answers (block
names as in searches, ``{"<Entity>Id": n}`` or ``{"Id": n}`` back), the application insert itself.
Not built yet (the Files module exists, its shapes are behind the gated developer portal): attachments,
stage moves.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.base import FormField
from atsbridge.connectors.eploy.actions import ACTIONS
from atsbridge.connectors.eploy.api import API, HOST
from atsbridge.connectors.eploy.mappers import OUTCOMES
from atsbridge.connectors.eploy.streams import DELETIONS, STREAMS

_UNDOCUMENTED = "Eploy's public API documentation names no endpoint for it (the developer portal is gated)"

NOTE_TYPE = FormField(
    "note_action_type", "Action type of notes", target="config", required=False, advanced=True,
    placeholder="Note", help="The Eploy action type that notes written through the API are recorded as.",
)  # fmt: skip

CONNECTOR = kit.declare(
    tool="eploy",
    label="Eploy",
    api=API,
    streams=STREAMS,
    deletions=DELETIONS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    filters={},
    unavailable={
        "offers": "Eploy's API has no offer records (placements only, which mark the application hired)",
        "tags": _UNDOCUMENTED,
        "rejection_reasons": "rejections are customer-configured workflow statuses, mapped per integration, "
        "with no reason list in the API",
        "scorecards": _UNDOCUMENTED,
        "reject_application": _UNDOCUMENTED,
        "add_candidate_tag": _UNDOCUMENTED,
        "remove_candidate_tag": _UNDOCUMENTED,
    },
    probe=kit.Probe(
        "/vacancies/search",
        method="POST",
        json={"Paging": {"RecordsPerPage": 1, "RequestedPage": 1}, "Filters": [], "ResponseBlocks": ["VacancyId"]},
        refused="this client id and secret (or the API user has no role or no allowed IP range)",
        forbidden="Eploy accepted the key but denied access (403): give the API key View permission on "
        "Vacancies, Candidates, Applications, Actions and Users",
        not_found="No Eploy REST API at this host (404): check the host of your Eploy system",
    ),
    connect=kit.ConnectForm(
        instructions="In Eploy, open Admin > Security Settings > API Keys, create a 'REST API' key with a title "
        "and an API user (exactly one role, and an IP range under Restricted IP Access, e.g. 0.0.0.0/0), then add "
        "API permissions: View on Vacancies, Candidates, Applications, Actions and Users, Insert on Actions. "
        "Enter your Eploy host and the key's client id and secret.",
        guide_url="https://support.eploy.co.uk/hc/en-gb/articles/14711773981853-Eploy-RESTful-API-Full-Developer-s-Guide",
        extra=(HOST, NOTE_TYPE),
    ),
)
