"""One case as a model: its stage, the valid parts of invalid documents, the case as at a date,
withdrawn records, officers, entry ids and references."""
