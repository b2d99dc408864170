"""A small TCP proxy for fault tests: drops, delays, truncates and resets connections (loopback only).

    with FaultProxy(central.url, plan=["drop", "reset", "truncate_response"]) as proxy:
        push through proxy.url ...        # connection 1 dropped, 2 reset, 3 answer cut short,
                                          # every later one passes ("ok")

Modes, one per accepted connection in the order of `plan` (then `default`):
- ok                 forward both ways untouched
- drop               close at once, before reading anything
- reset              read the start of the request, then close with a TCP RST
- cut_request        forward only the first bytes of the request, then close both sides
- truncate_response  forward the request whole, then only the first bytes of the answer
- delay:SECONDS      wait, then forward untouched
- hold_response      forward the request, keep the whole answer until `release()` (or the
                     client goes away), then send it: the upstream has acted, the client
                     does not know yet
- blackhole          read the request and never answer (the client must time out)
- cut_body:FRACTION  forward the request whole, then the answer's head and only that fraction
                     of its body, then close (a download cut part way)
- corrupt_body       forward the answer whole but with one byte of its body changed
"""
from __future__ import annotations

import socket
import struct
import threading
import time
from urllib.parse import urlsplit

CUT_BYTES = 40


def _read_http_message(sock: socket.socket, first: bytes = b"") -> bytes:
    """Read one HTTP message (headers + Content-Length body) from `sock`; b'' on close."""
    data = first
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
    parts, have = [body], len(body)
    while have < length:  # a list, not +=: a pack zip of many MB must not take quadratic time
        chunk = sock.recv(65536)
        if not chunk:
            break
        parts.append(chunk)
        have += len(chunk)
    return head + b"\r\n\r\n" + b"".join(parts)


class FaultProxy:
    """Listen on 127.0.0.1, forward to the upstream URL's host:port with one fault per connection."""

    def __init__(self, upstream_url: str, plan: list[str] | None = None, default: str = "ok"):
        parts = urlsplit(upstream_url)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.plan = list(plan or [])
        self.default = default
        self.applied: list[str] = []  # the mode each connection got, in order
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._stop = threading.Event()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))  # loopback only: never a real network
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._accept, daemon=True, name="faultproxy")

    # lifecycle ---------------------------------------------------------------------------
    def start(self) -> "FaultProxy":
        """Start accepting connections."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting; connections in progress end at their next step."""
        self._stop.set()
        self._released.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        except OSError:
            pass
        self._listener.close()
        self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def release(self) -> None:
        """Let every held answer go (hold_response)."""
        self._released.set()

    def add(self, *modes: str) -> None:
        """Append modes to the plan for the next connections."""
        with self._lock:
            self.plan.extend(modes)

    # work ----------------------------------------------------------------------------------
    def _next_mode(self) -> str:
        with self._lock:
            mode = self.plan.pop(0) if self.plan else self.default
            self.applied.append(mode)
            return mode

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _addr = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client, self._next_mode()), daemon=True).start()

    def _handle(self, client: socket.socket, mode: str) -> None:
        upstream = None
        try:
            client.settimeout(30)
            if mode == "drop":
                return
            if mode == "reset":
                client.recv(CUT_BYTES)
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if mode == "blackhole":
                while not self._stop.is_set() and client.recv(65536):
                    pass
                return
            if mode.startswith("delay:"):
                self._stop.wait(float(mode.split(":", 1)[1]))
            upstream = socket.create_connection(self.target, timeout=30)
            if mode == "cut_request":
                upstream.sendall(client.recv(CUT_BYTES))
                return
            if mode in ("truncate_response", "hold_response", "corrupt_body") or mode.startswith("cut_body:"):
                self._one_exchange(client, upstream, mode)
                return
            self._pump_both(client, upstream)
        except OSError:
            pass
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    try:
                        sock.close()
                    except OSError:
                        pass

    def _one_exchange(self, client, upstream, mode: str) -> None:
        request = _read_http_message(client)
        upstream.sendall(request)
        answer = _read_http_message(upstream)
        if mode == "truncate_response":
            client.sendall(answer[:CUT_BYTES])
            return
        head, _, body = answer.partition(b"\r\n\r\n")
        if mode.startswith("cut_body:"):
            client.sendall(head + b"\r\n\r\n" + body[: int(len(body) * float(mode.split(":", 1)[1]))])
            return
        if mode == "corrupt_body":
            middle = len(body) // 2
            body = body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1:] if body else body
            client.sendall(head + b"\r\n\r\n" + body)
            return
        while not self._released.wait(0.05):
            if _peer_closed(client):
                return
        client.sendall(answer)

    @staticmethod
    def _pump_both(client, upstream) -> None:
        def pump(src, dst):
            try:
                while chunk := src.recv(65536):
                    dst.sendall(chunk)
            except OSError:
                pass
            finally:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

        other = threading.Thread(target=pump, args=(upstream, client), daemon=True)
        other.start()
        pump(client, upstream)
        other.join(35)


def _peer_closed(sock: socket.socket) -> bool:
    """True when the other side has closed (a zero-byte peek), without consuming data."""
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)
        sock.settimeout(30)


def wait_until(condition, timeout: float = 20.0, what: str = "condition") -> None:
    """Poll `condition()` until true (another process's work: nothing to await but its effect)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout}s")
        time.sleep(0.02)
