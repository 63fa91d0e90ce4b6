"""The published OpenAPI and the server cannot drift: schemathesis generates requests from
``/v1/openapi.json`` (valid and invalid: NUL bytes, odd Unicode, wrong types, huge numbers) and every answer
must be a declared status, never a 5xx, with a body matching the declared schema.

Runs against the real app with a synced sandbox integration and a valid key, on SQLite and on PostgreSQL
(where a NUL byte used to reach the database and answer 500). Examples per operation are bounded so the
whole run stays around a minute; ``ATSBRIDGE_SCHEMATHESIS_EXAMPLES`` raises them for a deeper hunt.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from atsbridge.api.app import create_app
from atsbridge.core.config import Settings
from tests.conftest import Sandbox, make_sandbox

EXAMPLES = int(os.environ.get("ATSBRIDGE_SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="session")
def contract_sandbox(engine: Engine, settings: Settings) -> Sandbox:
    return make_sandbox(engine, settings, "tiny", seed=13)


_FREE_TEXT_KEYS = {"type", "title", "description"}


def _has_constraints(raw: dict[str, Any]) -> bool:
    """Whether an operation has anything negative generation could violate (a body, a typed parameter)."""
    if "requestBody" in raw:
        return True
    for parameter in raw.get("parameters", []):
        schema = parameter.get("schema", {})
        if schema.get("type") != "string" or set(schema) - _FREE_TEXT_KEYS:
            return True
    return False


def _run(schema: schemathesis.BaseSchema, sandbox: Sandbox, mode: GenerationMode) -> list[str]:
    """Every operation in one mode; the failures as readable reports (schemathesis includes a curl line)."""
    headers = {"Authorization": f"Bearer {sandbox.key}", "X-Integration-Id": sandbox.integration_id}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if mode is GenerationMode.NEGATIVE and not _has_constraints(operation.definition.raw):
            continue  # only free-text parameters: there is no invalid input to generate

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: the report already names the request
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except Unsatisfiable:
            continue  # negative mode on an operation whose every input is valid (free-text parameters only)
        except Exception as exc:  # a failed check: collect them all, then fail once with every report
            failures.append(f"{mode.value} {operation.label}:\n{str(exc)[:3000]}")
    return failures


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_server_matches_published_openapi(
    engine: Engine, settings: Settings, contract_sandbox: Sandbox, mode: GenerationMode
) -> None:
    # No lifespan (no scheduler, no webhook dispatcher): only the request path is under test.
    app = create_app(settings, engine, migrate=False)
    schema = schemathesis.openapi.from_asgi("/v1/openapi.json", app)
    failures = _run(schema, contract_sandbox, mode)
    assert not failures, f"{len(failures)} operation(s) disagree with the published OpenAPI:\n\n" + "\n\n".join(
        failures
    )


def test_published_document_declares_errors_and_open_records(engine: Engine, settings: Settings) -> None:
    """The two drifts schemathesis found first, checked directly (fast, and readable when it fails)."""
    doc = create_app(settings, engine, migrate=False).openapi()
    envelope = {"$ref": "#/components/schemas/ErrorResponse"}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            responses = op["responses"]
            assert "422" not in responses, f"{method} {path} declares a 422 the server never sends"
            for status in ("400", "401", "404"):
                assert responses[status]["content"]["application/json"]["schema"] == envelope, (method, path)
    schemas = doc["components"]["schemas"]
    for name in ("Candidate", "Application", "Job", "Offer"):
        assert "additionalProperties" not in schemas[name]
        assert {"remote_data", "integration_fields"} <= set(schemas[name]["properties"])
    assert "remote_data" in schemas["Tag"]["properties"]
    assert schemas["CreateCandidate"]["additionalProperties"] is False  # request bodies stay strict
