"""Imports every module that registers jobs (@every) or outbox handlers (@handles)."""


def load_jobs() -> None:
    import astrobookings.jobs.relay  # noqa: F401
    import astrobookings.jobs.launch_cards  # noqa: F401
    import astrobookings.jobs.activity_log  # noqa: F401
