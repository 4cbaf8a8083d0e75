"""Many processes run the scheduler; a PostgreSQL session advisory lock lets exactly one of them run
the jobs, and a leader whose connection dies is replaced at the next try of a follower."""
import time

import psycopg

from astrobookings.jobs.scheduler import Job, LeaderScheduler
from services.core.db import conninfo
from services.core.leadership import leader_identity


def test_exactly_one_leader_and_a_follower_takes_over():
    first, second = LeaderScheduler(), LeaderScheduler()
    try:
        first._campaign()
        second._campaign()
        assert (first.is_leader, second.is_leader) == (True, False)
        assert leader_identity() == first.identity
        # Renewing keeps the same leader.
        first._campaign()
        second._campaign()
        assert (first.is_leader, second.is_leader) == (True, False)
        first.stop()  # closes its connection: the lock is released at once
        second._campaign()
        assert second.is_leader and leader_identity() == second.identity
    finally:
        first.stop()
        second.stop()


def test_jobs_run_only_on_the_leader():
    ran = []
    leader, follower = LeaderScheduler(), LeaderScheduler()
    try:
        leader._campaign()
        follower._campaign()
        job = Job("probe", lambda: ran.append(1), 60)
        leader._guarded(job)()
        follower._guarded(job)()
        assert ran == [1]
    finally:
        leader.stop()
        follower.stop()


def test_a_leader_whose_connection_dies_is_replaced_within_two_seconds():
    """The leader's connection is killed by the server (as when its process crashes or the network
    drops): a follower trying once a second leads within two; the old leader learns it has lost."""
    leader, follower = LeaderScheduler(), LeaderScheduler()
    try:
        leader.start()
        follower.start()
        assert leader.is_leader and not follower.is_leader
        with psycopg.connect(conninfo(), autocommit=True) as admin:
            killed = admin.execute("select pg_terminate_backend(pid) from pg_stat_activity where application_name = %s",
                                   (leader.identity,)).fetchall()
        assert killed == [(True,)]
        deadline = time.monotonic() + 5
        while not follower.is_leader and time.monotonic() < deadline:
            time.sleep(0.05)
        assert follower.is_leader and leader_identity() == follower.identity
        while leader.is_leader and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not leader.is_leader, "the old leader notices at its next check"
    finally:
        leader.stop()
        follower.stop()
