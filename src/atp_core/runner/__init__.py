"""atp_core.runner."""
