"""atsbridge: a self-hostable unified ATS API, wire-compatible with Kombo's ATS API."""

__version__ = "0.1.0"
