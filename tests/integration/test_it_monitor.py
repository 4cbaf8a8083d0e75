"""IT's view of the system on the real stores: the activity log's filters and detail, the app's
own warnings kept in MongoDB, the system status with processes from their heartbeats, the
metrics in Prometheus' text format and as stored samples, and who may read them."""
import logging
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from prometheus_client.parser import text_string_to_metric_families

from services.core.mongo import system_db
from tests.helpers import demo_login, drain_outbox, new_account, new_traveler


@pytest.fixture
def it_headers(api):
    return demo_login(api, "it@example.com")


def test_activity_log_filters_page_and_detail(api, it_headers):
    email, _headers = new_traveler(api)   # registers and signs in: two events by this traveler
    _other, _ = new_traveler(api)
    drain_outbox()
    mine = api.get("/api/system/logs", headers=it_headers, params={"actor_email": email.upper()}).json()
    assert mine["total"] == 2 and {e["actor_email"] for e in mine["items"]} == {email}
    assert [e["action"] for e in mine["items"]] == ["auth.signed_in", "auth.registered"]  # newest first
    signed_in = api.get("/api/system/logs", headers=it_headers,
                        params={"actor_email": email, "action": "auth.signed_in", "role": "traveler",
                                "entry_point": "api"}).json()
    assert signed_in["total"] == 1
    entry = signed_in["items"][0]
    detail = api.get(f"/api/system/logs/{entry['id']}", headers=it_headers).json()
    assert detail["event_id"] == entry["event_id"] > 0 and detail["actor_role"] == "traveler"
    assert detail["subject"] == entry["subject"] and detail["id"] == f"event-{entry['event_id']}"
    by_text = api.get("/api/system/logs", headers=it_headers, params={"q": email.split("@")[0][-8:]}).json()
    assert {e["actor_email"] for e in by_text["items"]} == {email}
    later = datetime.now(timezone.utc) + timedelta(hours=1)
    assert api.get("/api/system/logs", headers=it_headers,
                   params={"actor_email": email, "since": later.isoformat()}).json()["total"] == 0
    paged = api.get("/api/system/logs", headers=it_headers, params={"per_page": 1, "page": 2, "actor_email": email}).json()
    assert [e["action"] for e in paged["items"]] == ["auth.registered"]
    backwards = api.get("/api/system/logs", headers=it_headers,
                        params={"since": later.isoformat(), "until": datetime.now(timezone.utc).isoformat()})
    assert backwards.status_code == 422 and backwards.json()["error"]["field"] == "since"
    assert api.get("/api/system/logs/nope", headers=it_headers).status_code == 404


def test_the_apps_warnings_are_kept_in_mongodb_and_shown(api, it_headers):
    from services.core import logs, mongo

    marker = f"disk nearly full {uuid.uuid4().hex[:8]}"
    logger = logs.get_logger("test")
    handler = logs.mongo_handler()
    logger.addHandler(handler)
    try:
        logger.info(f"{marker} (info is not kept)")
        logger.warning(marker, extra={"fields": {"disk": "/var"}})
        handler.flush()
    finally:
        logger.removeHandler(handler)
    shown = api.get("/api/system/app-logs", headers=it_headers, params={"q": marker}).json()
    assert [(line["level"], line["msg"], line["disk"]) for line in shown["items"]] == [("warning", marker, "/var")]
    ttl = [i for i in system_db().app_logs.list_indexes() if "expireAfterSeconds" in i]
    assert ttl and ttl[0]["expireAfterSeconds"] == mongo.APP_LOG_RETENTION_DAYS * 86400


def test_status_shows_stores_processes_and_the_last_reconciliation(api, it_headers):
    from services.core import heartbeat
    from services import sync

    heartbeat.beat("worker", "test-build", lambda: True)
    stale = {"_id": "gone-host:1", "role": "web", "pid": 1, "host": "gone-host", "version": "old", "leader": False,
             "at": datetime.now(timezone.utc) - timedelta(seconds=45)}
    system_db().process_heartbeats.replace_one({"_id": stale["_id"]}, stale, upsert=True)
    while sync.run_pending() is not None:  # jobs another test queued with nobody running them
        pass
    job = api.post("/api/system/sync", headers=it_headers, json={"kind": "reconcile"}).json()
    while sync.run_pending() is not None:
        pass
    report = api.get("/api/system/status", headers=it_headers).json()
    assert set(report["stores"]) == {"postgresql", "mongodb", "redis"}
    assert all(s["status"] == "ok" and s["latency_ms"] >= 0 for s in report["stores"].values())
    processes = {p["id"]: p for p in report["processes"]}
    me = processes[heartbeat.identity()]
    assert me["alive"] and me["leader"] and me["version"] == "test-build" and me["role"] == "worker"
    assert processes["gone-host:1"]["alive"] is False and processes["gone-host:1"]["silent_seconds"] >= 30
    assert report["last_reconciliation"]["id"] == job["id"] and report["last_reconciliation"]["status"] == "done"
    assert report["build"]["version"] and "status" in report["notifications"]


def test_metrics_in_prometheus_text_and_as_samples(api, it_headers):
    from services.monitor import metrics

    api.get("/api/launches")  # one request in the catalog's group at least
    scraped = api.get("/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(scraped.text)}
    assert {"astrobookings_outbox_backlog", "astrobookings_bookings_per_minute", "astrobookings_store_latency_ms",
            "astrobookings_http_request_duration_seconds", "astrobookings_http_requests"} <= set(families)
    stores = {s.labels["store"] for s in families["astrobookings_store_latency_ms"].samples}
    assert stores == {"postgresql", "mongodb", "redis"}
    assert metrics.record_sample() > 5
    stored = api.get("/api/system/metrics", headers=it_headers, params={"minutes": 5}).json()
    assert "outbox_backlog" in stored["series"] and "store_latency_ms{store=postgresql}" in stored["series"]
    assert stored["latest"]["store_up{store=mongodb}"] == 1.0
    ttl = [i for i in system_db().system_metrics.list_indexes() if "expireAfterSeconds" in i]
    assert ttl and ttl[0]["expireAfterSeconds"] == 7 * 86400


@pytest.mark.parametrize("role, allowed", [("traveler", False), ("agency", False), ("finance", False),
                                           ("it", True), ("admin", True)])
def test_only_it_and_admin_read_status_logs_and_metrics(api, role, allowed):
    _email, headers = new_traveler(api) if role == "traveler" else new_account(api, role)
    for path in ("/api/system/status", "/api/system/logs", "/api/system/app-logs", "/api/system/metrics"):
        response = api.get(path, headers=headers)
        assert response.status_code == (200 if allowed else 403), (path, response.text)
        assert api.get(path).status_code == 401


def test_log_pages_run_newest_first_across_time_slices(api, it_headers):
    """Entries from a minute ahead to two years back come back in order, paged, and within a range."""
    from services.core.models.documents import EntryLog

    action, now = f"bench.probe_{uuid.uuid4().hex[:8]}", datetime.now(timezone.utc)
    ages = [timedelta(minutes=-1), timedelta(minutes=10), timedelta(hours=5), timedelta(days=3), timedelta(days=20),
            timedelta(days=200), timedelta(days=800)]
    ids = [f"probe-{action}-{n}" for n in range(len(ages))]
    system_db().entry_logs.insert_many([EntryLog(_id=i, at=now - age, action=action, subject=f"launch:{n}").to_mongo()
                                        for n, (i, age) in enumerate(zip(ids, ages))])

    def page(**params):
        body = api.get("/api/system/logs", headers=it_headers, params={"action": action, **params}).json()
        return [e["id"] for e in body["items"]], body["total"]

    assert page() == (ids, 7)
    assert page(per_page=2, page=2) == (ids[2:4], 7)
    assert page(per_page=3, page=3) == (ids[6:], 7)
    since, until = (now - timedelta(days=30)).isoformat(), (now - timedelta(hours=1)).isoformat()
    assert page(since=since, until=until) == (ids[2:5], 3)
    assert page(q="LAUNCH:1") == ([ids[1]], 1)  # free text, any case, within its window (the last 24 hours)
    assert page(q="LAUNCH:5") == ([], 0)  # 200 days back: outside free text's window, an action does not widen it


def test_free_text_alone_reads_one_bounded_window_and_says_which(api, it_headers):
    """Free text with no actor or subject reads the last 24 hours or a range of at most 7 days, never
    the whole log; with an actor email it reads that actor's whole history."""
    from services.core.models.documents import EntryLog

    marker, now = f"probe-{uuid.uuid4().hex[:10]}", datetime.now(timezone.utc)
    email = f"{marker}@example.com"
    ages = {"recent": timedelta(minutes=10), "days": timedelta(days=3), "old": timedelta(days=20)}
    system_db().entry_logs.insert_many([EntryLog(_id=f"{marker}-{name}", at=now - age, action="auth.signed_in",
                                                 actor_email=email, subject=f"{marker}:{name}").to_mongo()
                                        for name, age in ages.items()])

    def search(**params):
        response = api.get("/api/system/logs", headers=it_headers, params={"q": marker.upper(), **params})
        return response.status_code, response.json()

    status, alone = search()
    assert status == 200 and [e["id"] for e in alone["items"]] == [f"{marker}-recent"] and alone["total"] == 1
    since, until = (datetime.fromisoformat(alone["window"][k]) for k in ("since", "until"))
    assert timedelta(hours=23) < until - since <= timedelta(hours=24) and until >= now
    status, four_days = search(since=(now - timedelta(days=4)).isoformat())
    assert status == 200 and [e["id"] for e in four_days["items"]] == [f"{marker}-recent", f"{marker}-days"]
    status, month = search(since=(now - timedelta(days=30)).isoformat())
    assert status == 422 and month["error"]["field"] == "since" and "7 days" in month["error"]["message"]
    status, by_actor = search(actor_email=email)
    assert status == 200 and by_actor["total"] == 3 and by_actor["window"] is None
    assert [e["id"] for e in by_actor["items"]] == [f"{marker}-{name}" for name in ages]


def test_restarts_by_the_supervisor_show_on_the_status(api, it_headers):
    from services.kernel.actor import SYSTEM, Actor
    from services.kernel.errors import Forbidden
    from services.monitor.restarts import record_restart

    record_restart(SYSTEM, role="web", exit_code=-9, restart=3, backoff_seconds=4.0)
    restarts = api.get("/api/system/status", headers=it_headers).json()["restarts"]
    assert restarts[0]["exit_code"] == -9 and restarts[0]["restart"] == 3 and restarts[0]["backoff_seconds"] == 4.0
    with pytest.raises(Forbidden):  # only the supervisor, acting as the system, records one
        record_restart(Actor(user_id="u", email="it@example.com", role="it"), role="web", exit_code=1, restart=1,
                       backoff_seconds=1.0)
