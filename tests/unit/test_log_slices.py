"""The activity log's newest-first time slices cover the asked range exactly once, newest first."""
from datetime import datetime, timedelta, timezone

from hypothesis import given, strategies as st

from services.monitor.logs import _slices

NOW = datetime.now(timezone.utc)
moments = st.integers(min_value=-3 * 365 * 24, max_value=48).map(lambda h: NOW + timedelta(hours=h, minutes=7))


def _inside(t: datetime, bounds: dict) -> bool:
    return all({"$gte": t >= v, "$lte": t <= v, "$lt": t < v}[op] for op, v in bounds.items())


@given(since=st.none() | moments, until=st.none() | moments, samples=st.lists(moments, min_size=1, max_size=30))
def test_each_moment_in_the_range_falls_in_exactly_one_slice(since, until, samples):
    if since and until and since > until:
        since, until = until, since
    slices = list(_slices(since, until))
    for t in samples + [s for s in (since, until) if s]:
        wanted = (since is None or t >= since) and (until is None or t <= until)
        assert sum(_inside(t, b) for b in slices) == (1 if wanted else 0), (t, since, until, slices)


def test_slices_go_back_from_now_and_end_with_the_rest():
    slices = list(_slices(None, None))
    lowers = [b["$gte"] for b in slices[:-1]]
    assert lowers == sorted(lowers, reverse=True) and len(lowers) == 5
    assert "$gte" not in slices[-1] and slices[-1]["$lt"] == lowers[-1]
    assert "$lt" not in slices[0] and "$lte" not in slices[0]  # entries stamped a little ahead still show
