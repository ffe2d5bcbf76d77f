"""atp_core.store."""
