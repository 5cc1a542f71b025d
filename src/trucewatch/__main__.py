"""`python -m trucewatch` is the `trucewatch` command."""

from trucewatch.cli import main

main()
