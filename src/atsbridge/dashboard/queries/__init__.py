"""The dashboard's reads: each page is a handful of bounded queries (LIMITs, keyset pagination)."""
