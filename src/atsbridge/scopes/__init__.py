"""Scope configurations: which read models, fields and write actions an integration may touch.

What is out of scope is never fetched, never stored and never served (data minimisation, as the seed
documents' "enable the ... scope in your scope configuration" describe).
"""
