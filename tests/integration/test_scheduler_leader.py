"""Many processes run the scheduler; a Redis lock lets exactly one of them run the jobs."""
from astrobookings.jobs.scheduler import LeaderScheduler


def test_exactly_one_leader_and_a_follower_takes_over():
    first, second = LeaderScheduler(), LeaderScheduler()
    try:
        first._campaign()
        second._campaign()
        assert (first.is_leader, second.is_leader) == (True, False)
        # Renewing keeps the same leader.
        first._campaign()
        second._campaign()
        assert (first.is_leader, second.is_leader) == (True, False)
        first.stop()  # releases the lock on a clean shutdown
        second._campaign()
        assert second.is_leader
    finally:
        second.stop()


def test_jobs_run_only_on_the_leader():
    from astrobookings.jobs.scheduler import Job

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
