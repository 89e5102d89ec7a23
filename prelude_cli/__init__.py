"""prelude: the command-line casebook for Operation Prelude."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("prelude-cli")
except PackageNotFoundError:  # running from a source checkout that was never installed
    __version__ = "0.0.0+source"

FORMAT_VERSION = 1
"""The newest casebook format this version of prelude reads and writes."""
