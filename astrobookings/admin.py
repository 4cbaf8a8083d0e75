"""The first administrator of a real install, made at the host's console:

    make admin EMAIL=ops@example.com                      (asks for the password twice)
    ADMIN_PASSWORD=... python -m astrobookings.admin create-admin --email ops@example.com

ADMIN_PASSWORD is read once, for automated installs; otherwise the terminal is asked. The
password rules are sign-up's. The stores are the environment's (DATABASE_URL, MONGODB_URL, ...)
or, without them, the embedded ones under var/ that `make run` uses. The account is made by the
same service function as the admin portal's, acting as the console (the OS user at this host),
so the activity log records who made it and where. Every later account: the admin portal.
"""
import argparse
import getpass
import os
import socket
import sys

from astrobookings.dev.launcher import ROOT


class NotCreated(Exception):
    pass


def read_password() -> str:
    if (password := os.environ.pop("ADMIN_PASSWORD", None)) is not None:
        return password
    if not sys.stdin.isatty():
        raise NotCreated("no terminal to ask for the password on: set ADMIN_PASSWORD for this one command.")
    first = getpass.getpass("Password for the new admin (12+ characters, not a common one): ")
    if first != getpass.getpass("The same password again: "):
        raise NotCreated("the two passwords differ.")
    return first


def create_admin(email: str, name: str, password: str) -> str:
    """Makes the admin on the configured stores; returns the address it signs in with."""
    from services.core import migrate
    from services.auth.users import create_user
    from services.kernel.actor import console
    from services.kernel.errors import DomainError

    migrate.upgrade()
    try:
        user = create_user(console(getpass.getuser(), socket.gethostname()),
                           {"email": email, "password": password, "name": name, "role": "admin"})
    except DomainError as refusal:
        field = f" ({refusal.field})" if refusal.field else ""
        raise NotCreated(f"{refusal.message}{field}") from None
    return user.email


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m astrobookings.admin")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-admin", help="make an administrator account")
    create.add_argument("--email", required=True)
    create.add_argument("--name", default="Administrator")
    args = parser.parse_args(argv)
    from astrobookings.dev.stack import EmbeddedStack
    from services.core.settings import get_settings

    stack = EmbeddedStack(ROOT / "var")
    try:
        password = read_password()
        os.environ.update(stack.start_missing())
        email = create_admin(args.email, args.name, password)
    except NotCreated as why:
        print(f"No admin was created: {why}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
    print(f"Admin {email} created. Sign in at {get_settings().public_base_url}/login")
    return 0


if __name__ == "__main__":
    sys.exit(main())
