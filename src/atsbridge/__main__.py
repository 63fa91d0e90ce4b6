"""``python -m atsbridge`` = the ``atsbridge`` command."""

from atsbridge.cli.main import main

main()
