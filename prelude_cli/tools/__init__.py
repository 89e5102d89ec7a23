"""Casebook tools: fmt, init and its templates, CI integrations, doctor and the installed
distribution."""
