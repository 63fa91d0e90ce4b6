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
    assert tools["workday"].internal_label == "not yet available in atsbridge"
