"""Shared HTTP machinery for connectors: client with retries and rate limits, paginators, auth, errors."""
