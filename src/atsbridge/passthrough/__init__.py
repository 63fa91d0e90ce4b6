"""Passthrough requests: a caller's raw request to the integration's own vendor API, authenticated by us."""
