"""A real install: `make run` on stores of its own loads no demo account unless DEMO_DATA asks,
and the first administrator is made at the console (`python -m astrobookings.admin`)."""
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import text

from astrobookings.dev.demo import DEMO_ACCOUNTS
from astrobookings.dev.stack import wait_for
from tests.helpers import drain_outbox, unique_email

ROOT = Path(__file__).resolve().parents[2]
STRONG = "Orbit-Keeper-2026!x"


def _plain_url(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://")


def _own_database(stack_env: dict[str, str]) -> tuple[str, str]:
    """A database of its own on this run's PostgreSQL server, as an operator's empty one."""
    name = f"ab_install_{uuid.uuid4().hex[:8]}"
    server = _plain_url(stack_env["DATABASE_URL"])
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    base, _, query = stack_env["DATABASE_URL"].partition("?")
    return name, base.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")


def test_make_run_on_stores_of_its_own_loads_no_demo_account(stack):
    from services.core.mongo import get_client

    name, database_url = _own_database(stack.env)
    system_db = f"install_{uuid.uuid4().hex[:8]}_system"
    env = {**os.environ, "DATABASE_URL": database_url, "MONGODB_SYSTEM_DB": system_db,
           "MONGODB_CUSTOMER_DB": system_db.replace("_system", "_customer"), "REDIS_PREFIX": f"ab:{name}:",
           "PROCESS_ROLE": "worker"}
    env.pop("DEMO_DATA", None)
    launcher = subprocess.Popen([sys.executable, "-m", "astrobookings.dev.launcher"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    try:
        def running() -> bool:
            lines.append(launcher.stdout.readline())
            return "is running" in lines[-1]

        wait_for(running, "the launcher with stores of its own", timeout=120, process=launcher)
        emails = [email for email, _n, _r in DEMO_ACCOUNTS]
        demo_users = get_client()[system_db]["users"].count_documents({"email": {"$in": emails}})
        assert demo_users == 0, "no demo account on an install with stores of its own"
        with psycopg.connect(_plain_url(database_url)) as conn:
            assert conn.execute("select count(*) from agency").fetchone()[0] == 0, "no demo agency either"
        assert "Demo accounts" not in "".join(lines)
    finally:
        os.killpg(launcher.pid, signal.SIGINT)
        launcher.wait(timeout=60)
        get_client().drop_database(system_db)
        get_client().drop_database(system_db.replace("_system", "_customer"))
        with psycopg.connect(_plain_url(stack.env["DATABASE_URL"]), autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


def _role_of(api, email: str, password: str) -> str:
    answer = api.post("/api/auth/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return answer.json()["role"]


def _create_admin(email: str, password: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "astrobookings.admin", "create-admin", "--email", email,
                           "--name", "Olga Ops"], cwd=ROOT, env={**os.environ, "ADMIN_PASSWORD": password},
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)


def test_the_admin_command_makes_an_admin_who_signs_in_and_is_logged_as_the_console(stack, api):
    from services.core.db import read_session

    email = unique_email("first-admin")
    made = _create_admin(email, STRONG)
    assert made.returncode == 0, made.stderr
    assert f"Admin {email} created" in made.stdout
    assert _role_of(api, email, STRONG) == "admin"
    drain_outbox()  # the event goes from the stream into the outbox and on to the activity log
    with read_session() as session:
        actor_email, actor_role, entry_point = session.execute(text(
            "select actor_email, actor_role, entry_point from outbox_event where event_type = 'auth.user_created' "
            "and payload->>'email' = :email"), {"email": email}).one()
    assert (actor_role, entry_point) == ("console", "cli") and "@" in actor_email, "who and where are recorded"


def test_the_admin_command_refuses_a_weak_password_and_a_taken_address(stack, api):
    from services.core.mongo import system_db

    weak = unique_email("weak-admin")
    refused = _create_admin(weak, "password1234")
    assert refused.returncode == 1
    assert "No admin was created" in refused.stderr and "(password)" in refused.stderr
    assert system_db()["users"].count_documents({"email": weak}) == 0

    taken = unique_email("taken-admin")
    assert _create_admin(taken, STRONG).returncode == 0
    again = _create_admin(taken, STRONG + "y")
    assert again.returncode == 1 and "already exists" in again.stderr and "(email)" in again.stderr
    assert _role_of(api, taken, STRONG) == "admin", "the first account stays as it was"
