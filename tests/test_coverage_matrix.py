"""The README's coverage matrix is the one the capability declarations generate (never hand-edited)."""

from __future__ import annotations

from pathlib import Path

from atsbridge.connectors.catalog import ATS_TOOLS
from atsbridge.connectors.matrix import BEGIN, END, markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_matrix_is_current() -> None:
    text = README.read_text()
    current = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert current == markdown(), "run: atsbridge tools matrix --write-readme README.md"


def test_every_seed_ats_is_listed() -> None:
    labels = {label for _, label in ATS_TOOLS}
    for name in ("Workday", "SAP SuccessFactors", "Greenhouse", "Lever", "Breezy HR", "ReachMee", "Personio"):
        assert name in labels


def test_tools_endpoint_through_the_sdk(server: object, tiny_sandbox: object) -> None:
    from kombo import Kombo

    from atsbridge.connectors.registry import known_tools

    k = Kombo(api_key=tiny_sandbox.key, server_url=server.v1)  # type: ignore[attr-defined]
    tools = {t.id: t for t in k.general.get_tools(category="ats").data.tools}
    assert set(tools) == {key for key, _ in ATS_TOOLS}
    for key in known_tools():
        models = {m.id: m.coverage_status for m in tools[key].coverage.read_models}
        assert "SUPPORTED" in models.values()
    from atsbridge.connectors.catalog import UNAVAILABLE

    # every ATS of Kombo's list has a connector or a declared reason: none is merely "not yet available"
    unbuilt = [key for key, _ in ATS_TOOLS if key not in known_tools() and key not in UNAVAILABLE]
    assert unbuilt == [], f"build these or declare why not (connectors/catalog.py UNAVAILABLE): {unbuilt}"
    assert not [key for key, tool in tools.items() if tool.internal_label == "not yet available in atsbridge"]
    # declined with a reason: said in the label, and nothing claimed about what the tool could do
    hr4you = tools["hr4you"]
    assert hr4you.internal_label is not None and "no API documentation" in hr4you.internal_label
    assert {m.coverage_status for m in hr4you.coverage.read_models} == {"UNKNOWN"}


def test_declared_unavailability_reaches_the_matrix_and_the_tools_endpoint() -> None:
    from atsbridge.api.routes.tools import tool_coverage
    from atsbridge.connectors import registry

    connector = registry.get_connector("personio")
    caps = connector.capabilities
    missing = next(a for a in ("add_candidate_tag", "add_application_note") if a not in caps.actions)
    original = caps.unavailable
    object.__setattr__(caps, "unavailable", {missing: "the vendor's API has no such endpoint"})
    try:
        actions = {a["id"]: a["coverage_status"] for a in tool_coverage("personio", "http://x")["coverage"]["write_actions"]}
        assert actions[f"ats_{missing}"] == "UNSUPPORTED"
        assert "- **Personio**" in markdown() and "the vendor's API has no such endpoint." in markdown()
    finally:
        object.__setattr__(caps, "unavailable", original)
