"""Server-rendered HTML shared by the hosted Connect page and the operator dashboard.

No JavaScript framework, no CDN, no external fonts: every asset is served by atsbridge itself, so the pages
work on a machine with no internet access and load in one round trip.
"""
