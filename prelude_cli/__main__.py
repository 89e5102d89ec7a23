"""`python -m prelude_cli` runs the CLI."""

from .cli.main import main

main()
