"""Recording the work: one builder module per document kind.

Each builder takes plain values (dates as `date`, vocabulary already checked by the caller or
the schema) and returns a `Draft` of the documents as they would be written. Nothing here
prints or writes; `edits.apply` checks the case as it would be and writes, or not at all.
"""

from .base import Draft, RecordError

__all__ = ["Draft", "RecordError"]
