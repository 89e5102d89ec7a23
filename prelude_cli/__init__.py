"""prelude: the command-line casebook for Operation Prelude."""

__version__ = "0.2.0"
"""The one place the version is written: the package build reads it from here, and every
command can know it without importing `importlib.metadata` (a noticeable cost at start-up)."""

FORMAT_VERSION = 2
"""The newest casebook format this version of prelude reads and writes. Format 2 added entry
ids, withdrawals, amendments and the officer history; format 1 casebooks are read as they are,
and `prelude fmt` brings them up to date (docs/format.md)."""
