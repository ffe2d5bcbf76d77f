"""atp_core.suite."""
