"""Outgoing webhooks: the event log (outbox), endpoints, signed at-least-once delivery."""
