"""A page that refreshes itself while it is open: one background loop per tab, ended by a reload
(which starts its own), by the user losing the role, or by the page's tick saying it is done."""
import asyncio
import uuid
from collections.abc import Callable

from services.core.breaker import unavailable
from services.kernel.actor import Actor


async def watch_while_open(state, seconds: float, roles: tuple[str, ...], tick: Callable[[Actor], bool | None],
                           path: str | None = None) -> None:
    """Calls `tick(actor)` every `seconds` under the state's lock until it returns False or the
    browser has left `path`; a store outage skips a tick instead of ending the loop.
    The state needs a `watch_token: str` field (and derives from SessionState)."""
    async with state:
        if state.watch_token:
            return  # a loop is watching already; a reload resets the token and so ends it
        token = state.watch_token = uuid.uuid4().hex
    try:
        while True:
            await asyncio.sleep(seconds)
            async with state:
                if state.watch_token != token:
                    return  # the page was loaded again: its own loop has taken over
                if path is not None and state.router.url.path.rstrip("/") != path:
                    return  # the browser has moved to another page
                try:
                    actor = state.actor_with(*roles)
                    if actor is None or tick(actor) is False:
                        return
                except Exception as exc:
                    if unavailable(exc) is None:
                        raise
                    # A store is down: the page keeps what it shows and tries again next time.
    finally:
        async with state:
            if state.watch_token == token:
                state.watch_token = ""
