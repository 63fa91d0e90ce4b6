"""Integration lifecycle: enable/disable, delete and purge."""
