"""Request bodies: only the upload route takes large ones, and never past the disk reserve."""
import select
import shutil
import socket

import pytest

from hub.web.request_limits import SMALL_BODY_BYTES, body_limit
from tests.helpers import HubProcess


def _ask(port: int, method: str, path: str, length: int, body: bytes = b"") -> tuple[int, str]:
    """Send a request announcing `length` body bytes (sending only `body`); return status, text."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
                     "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n".encode())
        if body:
            sock.sendall(body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, text = answer.decode("latin-1").partition("\r\n\r\n")
    return int(head.split()[1]), text


def _chunked_until_stopped(port: int, path: str) -> tuple[int, bytes]:
    """Stream a chunked body (no length announced) until the hub answers or hangs up.

    Returns the bytes sent and the answer (b"" when the hub reset the connection first)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n".encode())
        chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
        try:
            for _ in range(1024):  # 64 MiB at most
                if select.select([sock], [], [], 0)[0]:
                    break
                sock.sendall(chunk)
                sent += 0x10000
            return sent, sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            return sent, b""


def _spooled_bytes(data_dir) -> int:
    return sum(p.stat().st_size for p in (data_dir / "tmp").rglob("*") if p.is_file())


def test_the_limit_is_small_everywhere_but_the_upload_route(tmp_path):
    free = shutil.disk_usage(tmp_path).free
    assert body_limit("POST", "/api/v1/events", str(tmp_path), 0, 10**12) == SMALL_BODY_BYTES
    assert body_limit("POST", "/facilitator/login", str(tmp_path), 0, 10**12) == SMALL_BODY_BYTES
    assert body_limit("GET", "/facilitator/content/upload", str(tmp_path), 0, 10**12) == SMALL_BODY_BYTES
    upload = body_limit("POST", "/facilitator/content/upload", str(tmp_path), 0, 10**15)
    assert SMALL_BODY_BYTES < upload <= free // 2
    assert body_limit("POST", "/facilitator/content/upload", str(tmp_path), 0, 1000) == 1000
    assert body_limit("POST", "/facilitator/content/upload", str(tmp_path), free * 2, 10**15) == 0


@pytest.mark.slow
def test_a_huge_body_is_refused_before_it_reaches_the_disk(tmp_path):
    data = tmp_path / "data"
    with HubProcess(data) as hub:
        # Announce 20 GiB to the events API and the login form: refused at once, nothing spooled.
        for path in ("/api/v1/events", "/facilitator/login", "/"):
            status, text = _ask(hub.port, "POST", path, 20 * 1024**3)
            assert status == 413 and f"at most {SMALL_BODY_BYTES} bytes" in text
        sent, answer = _chunked_until_stopped(hub.port, "/api/v1/events")
        assert sent < 8 * SMALL_BODY_BYTES  # the hub stopped reading soon after the limit
        assert answer == b"" or answer.startswith(b"HTTP/1.1 413")
        assert _spooled_bytes(data) == 0
        # A stranger's upload is refused before its body is read, whatever its size.
        for length in (2 * SMALL_BODY_BYTES, 60 * 1024**3):
            status, text = _ask(hub.port, "POST", "/facilitator/content/upload", length)
            assert status == 403 and "facilitator" in text
        assert _spooled_bytes(data) == 0


@pytest.mark.slow
def test_the_central_refuses_a_huge_report_before_reading_it(tmp_path):
    from sync.central.receive import MAX_BODY_BYTES
    from tests.centralproc import CentralProcess

    with CentralProcess(tmp_path / "central") as central:
        status, _text = _ask(central.port, "POST", "/api/v1/reports", 20 * 1024**3)
        assert status == 413
        status, _text = _ask(central.port, "POST", "/api/v1/reports", MAX_BODY_BYTES + 1)
        assert status == 413


def test_a_file_is_sent_from_bounded_reads_whatever_the_socket_buffer(tmp_path):
    """Waitress reads a file_wrapper body a send buffer at a time: on loopback that is 4 MB."""
    import socket

    from hub.web.request_limits import SEND_CHUNK_BYTES, channel_class

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    accepted.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 * 1024 * 1024)
    channel_type = channel_class(str(tmp_path), 0, 1024)

    class Server:  # what a channel asks of its server when it is made
        adj = __import__("waitress.adjustments", fromlist=["Adjustments"]).Adjustments()
        active_channels = {}

    channel = channel_type(Server(), accepted, ("127.0.0.1", 1), Server.adj, map={})
    try:
        assert accepted.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF) > SEND_CHUNK_BYTES
        assert channel.sendbuf_len == SEND_CHUNK_BYTES
    finally:
        channel.close()
        client.close()
        listener.close()
