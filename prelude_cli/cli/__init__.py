"""The thin command-line layer: parse arguments, call the core, hand results to a reporter."""
