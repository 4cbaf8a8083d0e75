"""A small HTTP/1.1 keep-alive load generator on raw asyncio streams.

httpx costs more CPU per request than the server under test on this 2-core machine; writing the
request bytes and reading Content-Length framed answers keeps the client's share small.
"""
import asyncio
import json
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Result:
    status: int
    body: bytes
    seconds: float


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    elapsed: float = 0.0

    def latencies_ms(self) -> list[float]:
        return sorted(r.seconds * 1000 for r in self.results)

    def percentile(self, p: float) -> float:
        ordered = self.latencies_ms()
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))]

    def median(self) -> float:
        return statistics.median(self.latencies_ms())

    def rate(self) -> float:
        return len(self.results) / self.elapsed if self.elapsed else 0.0


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                      body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        fields = {}
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            fields[name.strip().lower()] = value.strip()
        if fields.get(b"transfer-encoding") == b"chunked":
            payload = b""
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                payload += await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
            payload = payload.replace(b"\r\n", b"")
        else:
            payload = await self.reader.readexactly(int(fields.get(b"content-length", b"0")))
        if fields.get(b"connection") == b"close":
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


Job = tuple[str, str, dict[str, str], bytes]


async def _drive(host: str, port: int, jobs: Iterator[Job], clients: int) -> Run:
    run = Run()

    async def worker():
        conn = Connection(host, port)
        try:
            for method, path, headers, body in jobs:
                started = time.perf_counter()
                status, payload = await conn.request(method, path, headers, body)
                run.results.append(Result(status, payload, time.perf_counter() - started))
        finally:
            conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    run.elapsed = time.perf_counter() - started
    return run


def drive(host: str, port: int, jobs: Iterator[Job] | list[Job], clients: int) -> Run:
    """Send every job over `clients` concurrent keep-alive connections; one shared iterator
    hands out the work, so a slow answer never leaves the other connections idle."""
    return asyncio.run(_drive(host, port, iter(jobs), clients))


def json_job(method: str, path: str, payload: dict | None = None, headers: dict[str, str] | None = None) -> Job:
    body = json.dumps(payload).encode() if payload is not None else b""
    extra = {"Content-Type": "application/json"} if payload is not None else {}
    return method, path, {**extra, **(headers or {})}, body

