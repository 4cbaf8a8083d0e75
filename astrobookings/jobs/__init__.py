"""Background jobs run by the in-process scheduler (one leader among many workers)."""
