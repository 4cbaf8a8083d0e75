"""Who is acting, with which role, and through which entry point."""
from dataclasses import dataclass

from services.core.models.documents import Role
from services.kernel.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    user_id: str
    email: str
    role: str
    name: str = ""
    entry_point: str = "web"
    client_address: str | None = None
    token_jti: str | None = None

    def require(self, *roles: Role | str) -> "Actor":
        allowed = {r.value if isinstance(r, Role) else r for r in roles}
        if self.role not in allowed:
            raise Forbidden()
        return self


# Someone at the host's console: trusted as far as whoever can read this install's secrets.
CONSOLE_ROLE = "console"


def console(user: str, host: str) -> Actor:
    return Actor(user_id=f"console:{user}", email=f"{user}@{host}", role=CONSOLE_ROLE, name=user,
                 entry_point="cli", client_address=host)


SYSTEM = Actor(user_id="system", email="system@astrobookings", role="system", entry_point="job")
