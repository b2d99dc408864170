"""The load generator: wrk (with a Lua script for percentiles) or a pure-Python keep-alive client.

Both speak HTTP/1.1 with keep-alive to 127.0.0.1 only, run for a bounded time, and report
requests/s and p50/p95/p99 latency. Event-ingest runs build a fresh body per request, so
every event id is new (a repeated id would only be counted as a duplicate).
"""
from __future__ import annotations

import asyncio
import json
import random
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

MAX_DURATION_S = 120.0        # no load loop runs longer than this, whatever it is asked
MAX_REQUESTS = 2_000_000      # nor sends more requests than this


@dataclass
class LoadResult:
    """What one load run measured."""
    tool: str
    connections: int
    requests: int
    errors: int              # non-2xx/3xx answers plus socket errors and timeouts
    duration_s: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    bytes_per_request: float

    def as_dict(self) -> dict:
        """Plain dict for the JSON results."""
        return asdict(self)


@dataclass
class EventBatch:
    """Asks for POST bodies of `size` fresh events about `resource` on each request."""
    resource: str
    size: int = 20


def _check_target(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"benchmarks only target loopback, not {parts.hostname}")
    return "127.0.0.1", parts.port or 80


def events_body(batch: EventBatch, timestamp: str) -> bytes:
    """One JSON body of `batch.size` events with fresh ids."""
    events = [{"id": str(uuid.uuid4()), "resource": batch.resource, "verb": "progressed",
               "progress": 0.5, "duration_s": 5, "timestamp": timestamp}
              for _ in range(batch.size)]
    return json.dumps({"events": events}).encode()


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _lua_str(text: str) -> str:
    return "[==[" + text + "]==]"


def wrk_script(method: str, path: str, headers: dict, body: bytes | None,
               batch: EventBatch | None, paths: list[str] | None = None) -> str:
    """A wrk Lua script: the request (fresh event ids when `batch`), and a JSON summary line."""
    header_lines = "\n".join(f"wrk.headers[ {_lua_str(k)} ] = {_lua_str(v)}" for k, v in headers.items())
    parts = [f"wrk.method = {_lua_str(method)}", f"wrk.path = {_lua_str(path)}", header_lines]
    if paths:  # cycle through these paths, one per request (varied queries: no cache hides work)
        listed = ", ".join(_lua_str(p) for p in paths)
        parts.append(f"""
local paths, turn = {{{listed}}}, 0
function init(args) turn = (tonumber(args[1]) or 0) % #paths end
function request()
  turn = turn % #paths + 1
  return wrk.format(nil, paths[turn])
end""")
    if body is not None and batch is None:
        parts.append(f"wrk.body = {_lua_str(body.decode())}")
    if batch is not None:
        parts.append(f"""
local n_threads, counter, nonce = 0, 0, 0  -- `tid` is a global set by setup()
local resource, stamp, size = {_lua_str(batch.resource)}, {_lua_str(_now_iso())}, {batch.size}
function setup(thread) n_threads = n_threads + 1; thread:set("tid", n_threads) end
function init(args) nonce = tonumber(args[1]) or 0 end
function request()
  local items = {{}}
  for i = 1, size do
    counter = counter + 1
    items[i] = string.format(
      '{{"id":"%08x-%04x-4000-8000-%012x","resource":"%s","verb":"progressed",' ..
      '"progress":0.5,"duration_s":5,"timestamp":"%s"}}', nonce, tid, counter, resource, stamp)
  end
  return wrk.format(nil, nil, nil, '{{"events":[' .. table.concat(items, ",") .. ']}}')
end""")
    parts.append("""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors":%d,' ..
    '"p50":%d,"p95":%d,"p99":%d}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end""")
    return "\n".join(parts) + "\n"


def run_wrk(url: str, path: str, connections: int, duration: float, method: str = "GET",
            headers: dict | None = None, body: bytes | None = None,
            batch: EventBatch | None = None, cpus: str | None = None,
            paths: list[str] | None = None) -> LoadResult:
    """Drive `url + path` with wrk for `duration` seconds at `connections` connections.

    `paths` (GET only) cycles through those paths instead, one per request.
    `cpus` pins wrk to those cores (taskset), so that it does not take the server's."""
    _check_target(url)
    duration = max(1, int(round(min(duration, MAX_DURATION_S))))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(wrk_script(method, path, dict(headers or {}), body, batch, paths))
        script = handle.name
    try:
        argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
                "-s", script, url, "--", str(random.getrandbits(31))]
        if cpus:
            argv = ["taskset", "-c", cpus] + argv
        out = subprocess.run(argv, capture_output=True, text=True, timeout=duration + 60)
    finally:
        Path(script).unlink(missing_ok=True)
    line = next((l for l in out.stdout.splitlines() if l.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary: {out.stdout[-500:]} {out.stderr[-500:]}")
    data = json.loads(line[8:])
    seconds = data["duration_us"] / 1e6
    count = data["requests"]
    return LoadResult("wrk", connections, count, data["errors"], seconds,
                      count / seconds if seconds else 0.0, data["p50"] / 1000,
                      data["p95"] / 1000, data["p99"] / 1000,
                      data["bytes"] / count if count else 0.0)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """Read one response; returns (status, body bytes, server wants to close)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    closing = fields.get("connection", "").lower() == "close"
    if "content-length" in fields:
        length = int(fields["content-length"])
        await reader.readexactly(length)
    elif fields.get("transfer-encoding", "").lower() == "chunked":
        length = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            length += size
            if size == 0:
                break
    else:
        body = await reader.read()
        length, closing = len(body), True
    return status, len(head) + length, closing


def _percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, int(round(pct / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]


async def _python_load(host, port, path, connections, duration, method, headers, body, batch,
                       max_requests):
    latencies: list[float] = []
    state = {"errors": 0, "bytes": 0, "sent": 0}
    deadline = time.perf_counter() + duration
    stamp = _now_iso()

    def request_bytes() -> bytes:
        payload = events_body(batch, stamp) if batch else (body or b"")
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if payload or method not in ("GET", "HEAD"):
            lines.append(f"Content-Length: {len(payload)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload

    async def worker():
        reader = writer = None
        while time.perf_counter() < deadline and state["sent"] < max_requests:
            state["sent"] += 1
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                began = time.perf_counter()
                writer.write(request_bytes())
                status, size, closing = await asyncio.wait_for(_read_response(reader), 10)
                latencies.append(time.perf_counter() - began)
                state["bytes"] += size
                if status >= 400:
                    state["errors"] += 1
                if closing:
                    writer.close()
                    writer = None
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError):
                state["errors"] += 1
                if writer is not None:
                    writer.close()
                writer = None
        if writer is not None:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    count = len(latencies)
    ms = [_percentile(latencies, p) * 1000 for p in (50, 95, 99)]
    return LoadResult("python", connections, count, state["errors"], elapsed,
                      count / elapsed if elapsed else 0.0, *ms,
                      state["bytes"] / count if count else 0.0)


def run_python(url: str, path: str, connections: int, duration: float, method: str = "GET",
               headers: dict | None = None, body: bytes | None = None,
               batch: EventBatch | None = None, max_requests: int = MAX_REQUESTS) -> LoadResult:
    """The pure-Python fallback: asyncio keep-alive connections, bounded in time and count."""
    host, port = _check_target(url)
    return asyncio.run(_python_load(host, port, path, connections,
                                    min(duration, MAX_DURATION_S), method, dict(headers or {}),
                                    body, batch, min(max_requests, MAX_REQUESTS)))


def have_wrk() -> bool:
    """Whether wrk is on PATH."""
    return shutil.which("wrk") is not None


def run_load(url: str, path: str, connections: int, duration: float, tool: str = "auto",
             **kwargs) -> LoadResult:
    """Drive one endpoint with wrk when present (or asked), else with the Python client."""
    if tool == "wrk" or (tool == "auto" and have_wrk()):
        return run_wrk(url, path, connections, duration, **kwargs)
    return run_python(url, path, connections, duration, **kwargs)
