"""atp_core.ledger."""
