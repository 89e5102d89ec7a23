"""Personal data and sharing: the partner allowlist and agreements, the disclosure log, the
identity register, retention."""
