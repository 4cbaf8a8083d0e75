"""The scheduler's leader process is killed (SIGKILL, no chance to let go): PostgreSQL ends its
session and releases the advisory lock at once, and a follower trying once a second leads within
two seconds. The killed process is one this test started."""
import signal
import subprocess
import sys
import time

from astrobookings.dev.stack import stop_process
from astrobookings.jobs.scheduler import LeaderScheduler
from services.core.leadership import leader_identity
from tests.faults import until

# A scheduler process: it campaigns once a second and prints its identity when it leads.
LEADER = """
import time
from astrobookings.jobs.scheduler import LeaderScheduler
s = LeaderScheduler()
while True:
    s._campaign()
    if s.is_leader:
        print(s.identity, flush=True)
    time.sleep(1)
"""


def test_a_killed_leader_is_replaced_within_two_seconds(stack):
    leader = subprocess.Popen([sys.executable, "-c", LEADER], stdout=subprocess.PIPE, text=True,
                              start_new_session=True)
    follower = LeaderScheduler()
    try:
        identity = leader.stdout.readline().strip()
        assert identity.startswith("scheduler-") and leader_identity() == identity
        follower.start()
        assert not follower.is_leader
        killed_at = time.monotonic()
        stop_process(leader, signal.SIGKILL, timeout=5)
        took = until(lambda: follower.is_leader, "a new leader", timeout=10)
        print(f"\nleader failover after SIGKILL: {time.monotonic() - killed_at:.2f}s")
        assert took < 2.0, f"a new leader after {took:.2f}s"
        assert leader_identity() == follower.identity
    finally:
        stop_process(leader, signal.SIGKILL, timeout=5)
        follower.stop()
