"""The ground floor everything stands on: settings, the SQLModel models and their migrations, the
store clients (PostgreSQL `db`, MongoDB `mongo`, Redis `cache`) with their circuit breaker,
health probes, process heartbeats and leadership lock, metrics, logs, formatting and URLs.

It imports no domain, no kernel module and no web framework (tests/unit/test_layers.py): any
floor above may import any module here directly."""
