"""``atsbridge webhooks ...`` end to end: register, sync, deliver once to a real receiver, inspect, redeliver,
rotate, remove (in-process CliRunner against its own SQLite database)."""

from __future__ import annotations

import orjson
from click.testing import CliRunner

from atsbridge.cli.main import main
from tests.test_cli import cli  # noqa: F401  (the fixture)
from tests.webhook_receiver import independent_signature, receiver


def test_webhooks_cli_flow(cli: CliRunner) -> None:  # noqa: F811
    with receiver() as rec:
        added = cli.invoke(main, ["webhooks", "add", rec.url, "--event-type", "sync-finished", "--description", "ci"])
        assert added.exit_code == 0, added.output
        *json_lines, secret = added.stdout.strip().splitlines()
        endpoint = orjson.loads("\n".join(json_lines))
        assert secret.startswith("whsec_") and endpoint["event_types"] == ["sync-finished"]
        listed = cli.invoke(main, ["webhooks", "list"])
        assert endpoint["id"] in listed.stdout and secret not in listed.stdout
        created = cli.invoke(main, ["integrations", "create", "sandbox", "--size", "tiny"])
        assert created.exit_code == 0, created.output
        sent = cli.invoke(main, ["webhooks", "deliver", "--once"])
        assert sent.exit_code == 0, sent.output
        (got,) = rec.requests
        assert got.payload["type"] == "sync-finished"
        assert got.headers["x-kombo-signature"] == independent_signature(secret, got.raw)
        log = orjson.loads(cli.invoke(main, ["webhooks", "deliveries", endpoint["id"]]).stdout)
        assert [d["status"] for d in log] == ["SUCCEEDED"] and log[0]["attempt_log"][0]["status_code"] == 200
        again = cli.invoke(main, ["webhooks", "redeliver", log[0]["id"]])
        assert again.exit_code == 0 and orjson.loads(again.stdout)["status"] == "PENDING"
        rotated = cli.invoke(main, ["webhooks", "rotate-secret", endpoint["id"], "--grace-hours", "1"])
        new_secret = rotated.stdout.strip().splitlines()[-1]
        assert rotated.exit_code == 0 and new_secret.startswith("whsec_") and new_secret != secret
        cli.invoke(main, ["webhooks", "deliver", "--once"])
        assert len(rec.requests) == 2
        last = rec.requests[-1]
        assert last.headers["x-kombo-signature"] == independent_signature(new_secret, last.raw)
        assert last.headers["x-atsbridge-previous-signature"] == independent_signature(secret, last.raw)
    missing = cli.invoke(main, ["webhooks", "remove", "whe_nope"])
    assert missing.exit_code != 0 and "no webhook endpoint 'whe_nope'" in missing.output
    assert cli.invoke(main, ["webhooks", "remove", endpoint["id"]]).exit_code == 0
    assert cli.invoke(main, ["webhooks", "list"]).stdout.strip() == "[]"
