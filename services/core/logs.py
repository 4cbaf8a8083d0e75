"""Logs go to stdout as one JSON object per line; warnings and errors are also kept in MongoDB
(the system database's `app_logs`, dropped by a TTL index after mongo.APP_LOG_RETENTION_DAYS) so IT
reads them on /it/logs. Writing them never blocks or fails the caller: lines wait in a bounded
queue for a writer thread, and are dropped (and counted) when MongoDB cannot keep up."""
import json
import logging
import queue
import sys
import threading
from datetime import datetime, timezone

from services.core import mongo


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class MongoLogHandler(logging.Handler):
    """WARNING and above into MongoDB, through a queue and one writer thread."""

    def __init__(self, capacity: int = 10_000) -> None:
        super().__init__(level=logging.WARNING)
        self.lines: queue.Queue = queue.Queue(maxsize=capacity)
        self.dropped = 0
        self._formatter = JsonFormatter()
        threading.Thread(target=self._write, daemon=True, name="app-log-writer").start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = json.loads(self._formatter.format(record))
            line["at"] = datetime.fromtimestamp(record.created, timezone.utc)
            self.lines.put_nowait(line)
        except queue.Full:
            self.dropped += 1
        except Exception:
            self.handleError(record)

    def _write(self) -> None:
        while True:
            batch = [self.lines.get()]
            while len(batch) < 200:
                try:
                    batch.append(self.lines.get_nowait())
                except queue.Empty:
                    break
            try:
                mongo.system_db()["app_logs"].insert_many(batch, ordered=False)
            except Exception:
                self.dropped += len(batch)  # MongoDB is down: stdout still has these lines
            finally:
                for _ in batch:
                    self.lines.task_done()

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until the queued lines are written (tests and shutdown)."""
        import time
        deadline = time.monotonic() + timeout
        while self.lines.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)


_mongo_handler: MongoLogHandler | None = None


def mongo_handler() -> MongoLogHandler:
    global _mongo_handler
    if _mongo_handler is None:
        _mongo_handler = MongoLogHandler()
    return _mongo_handler


def configure(level: str = "INFO", keep_in_mongo: bool = True) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("astrobookings")
    root.handlers[:] = [handler, mongo_handler()] if keep_in_mongo else [handler]
    root.setLevel(level.upper())
    root.propagate = False


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(f"astrobookings.{name}")
