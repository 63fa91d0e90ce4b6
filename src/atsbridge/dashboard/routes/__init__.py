"""The dashboard's HTTP routes, one module per area."""
