"""Storage: strict YAML reading and round-trip editing, bounded reads, atomic writes, records of
several files all or nothing, locks, outputs."""
