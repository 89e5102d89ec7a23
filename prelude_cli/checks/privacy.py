"""Rules about personal data in case documents, which are meant to be pseudonymous."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..book.problems import Problem, describe_pointer
from ..book.schemawalk import is_free_text, values
from ..files.yamlio import locate, positions_of
from . import CheckContext, pii, rule


@rule("pii-in-text", "Free text that looks like personal data: a phone number, email address, "
      "postcode, NHS number, police reference, date of birth or the person's name (warning).")
def pii_in_text(ctx: CheckContext) -> Iterator[Problem]:
    """Names the field and the kind of data, never the match itself. A field marked
    `# prelude: reviewed` is left alone; the file is only re-read for its lines on a match."""
    for kind, record in ctx.case.records():
        yield from _scan(ctx, kind, record.path, record.data)


def pii_in_withdrawn(ctx: CheckContext) -> Iterator[Problem]:
    """`pii-in-text` in withdrawn records too: withdrawing a record leaves its text in the
    file. Run beside the rules (`validation.load_case`), as its pointers are the document's
    as written, where a rule's are the document's without its withdrawn entries."""
    for w in ctx.case.withdrawn:
        yield from _scan(ctx, w.kind, w.ref.split("#")[0], w.as_document())


def _scan(ctx: CheckContext, kind: str, path: str, data: dict[str, Any]) -> Iterator[Problem]:
    texts = [(pointer, value) for pointer, value in values(kind, data, is_free_text)
             if isinstance(value, str)]
    # One look at all of the document's text first: most documents hold nothing, and no
    # detector can match across a NUL, so this finds all that the fields would, or more.
    if not texts or not pii.findings("\0".join(v for _, v in texts), ctx.names):
        return
    positions = None
    for pointer, value in texts:
        found = pii.findings(value, ctx.names)
        if not found:
            continue
        raw = ctx.raws.get(path)
        if raw is not None:
            if positions is None:
                positions = positions_of(raw, path)
            if pii.reviewed(raw, locate(positions, pointer)[0]):
                continue
        what = ", ".join(pii.KINDS[f] for f in found)
        yield ctx.warning(path, "pii-in-text",
                          f"{describe_pointer(pointer)} may hold personal data ({what}); "
                          "move it to the identity register, or mark the line "
                          "'# prelude: reviewed'", pointer)
