"""Carerix (NL, staffing ATS): GraphQL reads, REST/XML writes (reference §11).

* **Two APIs, one connector** (Kombo lists ``carerix`` and ``carerixgraphql``; this is ``carerix``). Reads go to
  the GraphQL API ``https://api.carerix.io/graphql/v1/graphql`` with a bearer token from the tenant's Keycloak
  realm (client credentials; the Connect form asks for the identity host and realm that build the token URL)
  [conn]. Writes go to the legacy REST API ``https://api.carerix.com/{Entity}`` with XML bodies and Basic
  auth (customer name + API token) [doc][conn], because GraphQL mutations are unconfirmed [unverified]; the
  REST credentials are optional on the form (reads work without them). Passthrough goes to GraphQL.
* **Paging**: ``pageable: {page, size}`` (0-based) answered as ``{totalElements, items}`` [conn]: the kit's
  ``kit.graphql.GraphQLPage``. GraphQL errors arrive with HTTP 200 (``kit.graphql.ERRORS``).
* **Model**: candidate = ``CREmployee``, job = ``CRVacancy``, application = ``CRMatch``; stages = the tenant's
  match-status data nodes (one global list); notes = ``CRNote``; attachments = ``CRAttachment`` (downloaded
  as base64 through ``crAttachment(_id){content}``) [conn]. Field names follow public GraphQL clients
  [conn]; no read answer was ever recorded, so every field is unverified against a tenant.
* **Incremental**: the EOF qualifier ``modificationDate > (NSCalendarDate) '<Amsterdam local time>'`` on
  vacancies, employees, matches, notes and attachments [conn]; users and statuses are listed in full.
  **Deletions**: no deletion feed (``showDeletedRecords``/``norestrict`` semantics are unverified): full syncs
  mark what vanished.
* **Outcome** (``mappers.OUTCOMES``): match statuses are customer data nodes: the per-integration status map
  (by label or code) decides first; the default reads Dutch/English words in the label (geplaatst -> HIRED,
  afgewezen/afgemeld -> DECLINED), else PENDING. HIRED by a ``CRWorkHistory`` placement is not built.
* **Writes** (``actions``): create candidate + match (+ files), move stage, note, attachment (the recorded
  XML PUT). Rate limits are undocumented [gap]: 10 requests a second.
"""

from __future__ import annotations

from atsbridge.connectors import kit
from atsbridge.connectors.carerix.actions import ACTIONS
from atsbridge.connectors.carerix.api import API, FORM, download
from atsbridge.connectors.carerix.mappers import OUTCOMES
from atsbridge.connectors.carerix.streams import STREAMS

_NO_API = "Carerix's API has no such record"

CONNECTOR = kit.declare(
    tool="carerix",
    label="Carerix",
    api=API,
    streams=STREAMS,
    writes=ACTIONS,
    outcomes=OUTCOMES,
    download=download,
    probe=kit.Probe(
        "/graphql",
        method="POST",
        json={"query": "query { crUserPage(pageable: {page: 0, size: 1}) { totalElements } }"},
        refused="this client id and secret (or the realm)",
        forbidden="Carerix accepted the client but denied access (403): give it the urn:cx/cx5Wrapper:data:manage "
        "scope",
    ),
    connect=kit.ConnectForm(
        instructions="In Carerix, create an API client (client credentials) with the urn:cx/cx5Wrapper:data:manage "
        "scope and note your identity server (id-sN) and realm. For writes, also enter the REST API customer "
        "name and token.",
        guide_url="https://docs.carerix.io/graphql/welcome",
        extra=FORM,
    ),
    unavailable={
        "interviews": "Carerix has no interview resource: appointments are generic CRToDo to-dos whose kinds are "
        "tenant data nodes, so interviews cannot be told apart",
        "offers": _NO_API,
        "scorecards": _NO_API,
        "tags": "Carerix has no candidate tags in its documented API",
        "rejection_reasons": "Carerix rejects by a customer-defined match status, with no separate reason list",
        "roles": "Carerix's user roles are not exposed in its documented API",
        "reject_application": "Carerix has no reject operation: a rejection is a customer-defined match status "
        "(move the application to that stage)",
        "add_candidate_tag": "Carerix has no candidate tags in its documented API",
        "remove_candidate_tag": "Carerix has no candidate tags in its documented API",
    },
)
