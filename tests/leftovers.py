"""What a test run leaves behind: child processes still running and sockets still listening.

Read from /proc (Linux, where the hub runs), so no extra dependency. Used by the session
check in tests/conftest.py: a test that starts a server must stop it on every path.
"""
from __future__ import annotations

import os
import time
from pathlib import Path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone while we looked
        state, parent = fields[0], int(fields[1])
        if state not in ("Z", "X"):  # a zombie is already stopped
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def descendants(pid: int | None = None) -> set[int]:
    """Running processes started (directly or not) by `pid` (this process by default)."""
    tree, found, todo = _children(), set(), [pid or os.getpid()]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def command_line(pid: int) -> str:
    """The command line of a process ('' when it has gone)."""
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def _listening_inodes() -> dict[str, str]:
    """socket inode -> 'address:port' for every TCP socket in LISTEN state on the machine."""
    found = {}
    for name in ("tcp", "tcp6"):
        try:
            lines = (Path("/proc/net") / name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A":  # LISTEN
                address, port = parts[1].rsplit(":", 1)
                found[parts[9]] = f"{name}:{int(port, 16)}"
    return found


def listening(pids: set[int]) -> set[str]:
    """The listening TCP ports ('tcp:PORT') held by these processes."""
    inodes, held = _listening_inodes(), set()
    for pid in pids:
        try:
            fds = list((Path("/proc") / str(pid) / "fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                held.add(f"{inodes[target[8:-1]]} (pid {pid})")
    return held


def snapshot() -> tuple[set[int], set[str]]:
    """(running descendants, listening ports of this process and its descendants)."""
    children = descendants()
    return children, listening(children | {os.getpid()})


def left_behind(before: tuple[set[int], set[str]], grace_s: float = 5.0) -> list[str]:
    """What runs or listens now that did not at `before`; waits up to `grace_s` for exits."""
    deadline = time.monotonic() + grace_s
    while True:
        children, ports = snapshot()
        extra = [f"process {pid}: {command_line(pid)}" for pid in sorted(children - before[0])]
        extra += [f"listening socket {port}" for port in sorted(ports - before[1])]
        if not extra or time.monotonic() > deadline:
            return extra
        time.sleep(0.1)  # a process stopped just now may take a moment to be gone from /proc
