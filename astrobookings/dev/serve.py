"""`reflex run`, with a crashed web worker respawned instead of ending the server.

Reflex's production run (reflex.utils.exec.run_granian_backend_prod) builds granian's Server
itself and passes no respawn option, and granian's GRANIAN_RESPAWN_FAILED_WORKERS is read only
by granian's own command line. Without it, one worker dying (a segfault, the OOM killer, a
SIGKILL) makes granian stop every other worker and exit. So this runs Reflex's command line with
granian's Server defaulting to `respawn_failed_workers=True`: the dead worker is replaced by a
new one while the others keep serving. Granian still exits on a crash loop (the same worker
dying again within about 5 s), for the supervisor to see.

    python -m astrobookings.dev.serve run --env prod ...   (what `make run` starts)

A restart by the supervisor (dev/supervisor.py) sets REUSE_BUILD=1: the frontend built by the
first start is served again instead of compiled and built anew (about 25 s of the site being gone
on this machine), since nothing in the checkout changed while `make run` kept running.

REFLEX_LOG_JSON must stay off: with it, Reflex starts itself again as `python -m reflex`, which
would drop the respawn.
"""
import os
import sys

import granian.server

_Granian = granian.server.Server


class RespawningServer(_Granian):
    """Granian's server, respawning failed workers unless told otherwise. At module level, so a
    worker started by the spawn method can find it by name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("respawn_failed_workers", True)
        super().__init__(*args, **kwargs)


def respawn_failed_workers() -> None:
    """From now on, granian servers made in this process respawn workers that die (Reflex imports
    `granian.server.Server` by name at the moment it starts the backend)."""
    granian.server.Server = RespawningServer


def reuse_build() -> None:
    """Reflex's production run skips compiling the app and building the frontend: the first
    start's build, already in the web folder, is served."""
    import reflex.reflex
    import reflex.utils.build

    reflex.reflex._compile_app = lambda *args, **kwargs: None
    reflex.utils.build.setup_frontend_prod = lambda *args, **kwargs: None


def main() -> None:
    respawn_failed_workers()
    if os.environ.get("REUSE_BUILD") == "1":
        reuse_build()
    from reflex.reflex import cli

    sys.argv[0] = "reflex"
    cli()


if __name__ == "__main__":
    main()
