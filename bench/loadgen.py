"""A lean HTTP/1.1 load generator, run as its own process so it does not share the server's interpreter.

    python -m bench.loadgen --url http://127.0.0.1:8000 --token T --seconds 20 --warmup 2 --concurrency 32 --out F

``concurrency`` keep-alive connections, each sending ``POST /api/incidents`` back to back (closed loop) on uvloop,
with a hand-written request/response codec: a general-purpose client (httpx) would spend more of the shared two
cores than the server it measures. Requests that complete inside the measured window count for req/s and the
latency percentiles; every ``201`` (warm-up included) has its incident id recorded so the caller can check that
each acknowledged incident is in the database. When time is up no new request is sent and the in-flight ones are
read to the end, so nothing acknowledged is left unrecorded. Prints ``progress <elapsed> <completed>`` lines on
stdout; writes the summary as JSON to ``--out``.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

BEIJING = timezone(timedelta(hours=8))


def incident_body(seq: int) -> bytes:
    now = datetime.now(BEIJING).replace(microsecond=0)
    return json.dumps({
        "event_type": "燃气事故", "street": "东四街道", "address": f"东四北大街 {100 + seq % 900} 号",
        "occurred_at": (now - timedelta(minutes=2)).isoformat(), "received_at": now.isoformat(),
        "source": "12345", "title": "燃气泄漏", "grade": None,
        "casualties": {"dead": 0, "injured": 0, "missing": 0, "trapped": 0},
        "foreign_related": False, "sensitive": False,
    }, ensure_ascii=False).encode()


class Stats:
    def __init__(self, window_start: float, window_end: float):
        self.window_start, self.window_end = window_start, window_end
        self.latencies: list[float] = []  # seconds, completions inside the window
        self.statuses: dict[int, int] = {}
        self.acked_ids: list[int] = []
        self.errors: list[str] = []
        self.samples: list[str] = []  # bodies of unexpected answers
        self.completed = 0  # all completions (for progress)

    def record(self, sent: float, done: float, status: int, body: bytes) -> None:
        self.completed += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if self.window_start <= done <= self.window_end:
            self.latencies.append(done - sent)
        if status == 201:
            self.acked_ids.append(json.loads(body)["id"])
        elif status == 200:
            pass  # a read (--method GET)
        elif len(self.samples) < 5:
            self.samples.append(f"{status}: {body[:300].decode(errors='replace')}")


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, chunked, close = None, False, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection" and b"close" in value.lower():
            close = True
    if chunked:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await reader.readexactly(size + 2))
            if size == 0:
                break
        body = b"".join(p[:-2] for p in parts)
    else:
        body = await reader.readexactly(length or 0)
    return status, body, close


async def client(host: str, port: int, path: str, token: str, end: float, stats: Stats, worker: int,
                 method: str = "POST") -> None:
    reader = writer = None
    seq = worker
    while time.perf_counter() < end:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            if method == "GET":
                request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
                           "\r\n").encode()
            else:
                body = incident_body(seq)
                seq += 1000
                request = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
                           f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
            sent = time.perf_counter()
            writer.write(request)
            status, answer, close = await read_response(reader)
            stats.record(sent, time.perf_counter(), status, answer)
            if close:
                writer.close()
                reader = writer = None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            if len(stats.errors) < 20:
                stats.errors.append(f"{type(exc).__name__}: {exc}")
            stats.statuses[0] = stats.statuses.get(0, 0) + 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.05)
    if writer is not None:
        writer.close()


def percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


async def main(args: argparse.Namespace) -> dict:
    url = urlsplit(args.url)
    start = time.perf_counter()
    window_start = start + args.warmup
    end = window_start + args.seconds
    stats = Stats(window_start, end)
    tasks = [asyncio.create_task(client(url.hostname, url.port or 80, args.path, args.token, end, stats, i,
                                                args.method))
             for i in range(args.concurrency)]
    while not all(t.done() for t in tasks):
        await asyncio.sleep(0.5)
        print(f"progress {time.perf_counter() - start:.2f} {stats.completed}", flush=True)
    await asyncio.gather(*tasks)
    lat = sorted(stats.latencies)
    window = args.seconds
    return {
        "seconds": window, "warmup": args.warmup, "concurrency": args.concurrency,
        "completed_in_window": len(lat), "rps": len(lat) / window if window else None,
        "p50_ms": (percentile(lat, 0.50) or 0) * 1000, "p90_ms": (percentile(lat, 0.90) or 0) * 1000,
        "p99_ms": (percentile(lat, 0.99) or 0) * 1000, "max_ms": (lat[-1] if lat else 0) * 1000,
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())}, "acked_ids": stats.acked_ids,
        "errors": stats.errors, "samples": stats.samples, "completed_total": stats.completed,
    }


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--path", default="/api/incidents")
    parser.add_argument("--token", required=True)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--method", choices=("POST", "GET"), default="POST",
                        help="POST: a new incident per request; GET: the same path again and again")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    try:
        import uvloop
        runner = uvloop.run
    except ImportError:  # pragma: no cover - uvicorn[standard] brings uvloop
        runner = asyncio.run
    summary = runner(main(args))
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(summary, fh)


if __name__ == "__main__":
    run()
