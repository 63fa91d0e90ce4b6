"""Connecting the built-in sandbox ATS: no credentials, only how much generated data it should hold."""

from __future__ import annotations

from atsbridge.connectors.base import ConnectSpec, FormField, IntegrationInfo

SIZES = (("tiny", "Tiny (a handful of records)"), ("small", "Small (a few hundred)"), ("medium", "Medium (thousands)"))


async def verify(info: IntegrationInfo) -> None:
    """Nothing to prove: the sandbox lives inside atsbridge. Only the size is checked."""
    if str(info.config.get("size", "small")) not in dict(SIZES):
        raise ValueError(f"size: choose one of {', '.join(dict(SIZES))}")


CONNECT = ConnectSpec(
    fields=(
        FormField(
            "size",
            "Amount of test data",
            kind="select",
            target="config",
            default="small",
            options=SIZES,
            help="Generated candidates, jobs and applications to try atsbridge with.",
        ),
    ),
    verify=verify,
    instructions="The sandbox ATS needs no credentials: it generates realistic test data inside atsbridge.",
)
