"""A tiny real video for the browser tests, made at test time (no media is committed).

Chromium encodes the frames (WebCodecs VP8; it needs a secure context, e.g. a page on
127.0.0.1) and `webm()` wraps them in a minimal WebM file with a duration and cues, so the
browser can seek in it like in any pack video.
"""
from __future__ import annotations

import base64
import struct

FPS = 10
ENCODE_JS = """async ([width, height, seconds, fps]) => {
  const chunks = [];
  const encoder = new VideoEncoder({
    output: (chunk) => { const b = new Uint8Array(chunk.byteLength); chunk.copyTo(b);
                         chunks.push(btoa(String.fromCharCode(...b))); },
    error: (e) => { throw e; }});
  encoder.configure({codec: "vp8", width, height, bitrate: 200000, framerate: fps});
  const canvas = new OffscreenCanvas(width, height), g = canvas.getContext("2d");
  for (let i = 0; i < seconds * fps; i++) {
    g.fillStyle = `hsl(${(i * 12) % 360} 70% 45%)`; g.fillRect(0, 0, width, height);
    g.fillStyle = "#fff"; g.fillRect((i * 3) % width, height / 3, 8, 8);
    const frame = new VideoFrame(canvas, {timestamp: i * 1e6 / fps});
    encoder.encode(frame, {keyFrame: true}); frame.close();
  }
  await encoder.flush();
  return chunks;
}"""


def _element(element_id: int, body: bytes) -> bytes:
    head = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return head + (0x01 << 56 | len(body)).to_bytes(8, "big") + body  # 8-byte size field


def _uint(element_id: int, value: int) -> bytes:
    return _element(element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def webm(frames: list[bytes], width: int, height: int, fps: int = FPS) -> bytes:
    """A WebM file of VP8 key frames, one cluster per second, with its duration and cues."""
    header = _element(0x1A45DFA3, _uint(0x4286, 1) + _uint(0x42F7, 1) + _uint(0x42F2, 4)
                      + _uint(0x42F3, 8) + _element(0x4282, b"webm") + _uint(0x4287, 2)
                      + _uint(0x4285, 2))
    duration_ms = len(frames) * 1000 / fps
    info = _element(0x1549A966, _uint(0x2AD7B1, 1_000_000) + _element(0x4489, struct.pack(">d", duration_ms))
                    + _element(0x4D80, b"hub-tests") + _element(0x5741, b"hub-tests"))
    video = _element(0xE0, _uint(0xB0, width) + _uint(0xBA, height))
    tracks = _element(0x1654AE6B, _element(0xAE, _uint(0xD7, 1) + _uint(0x73C5, 1) + _uint(0x83, 1)
                                           + _element(0x86, b"V_VP8") + video))
    body, cues = info + tracks, b""
    for start in range(0, len(frames), fps):
        cluster_ms = start * 1000 // fps
        blocks = b"".join(
            _element(0xA3, b"\x81" + struct.pack(">hB", (i - start) * 1000 // fps, 0x80) + frame)
            for i, frame in enumerate(frames[start:start + fps], start))
        cues += _element(0xBB, _uint(0xB3, cluster_ms) + _element(0xB7, _uint(0xF7, 1) + _uint(0xF1, len(body))))
        body += _element(0x1F43B675, _uint(0xE7, cluster_ms) + blocks)
    return header + _element(0x18538067, body + _element(0x1C53BB6B, cues))


def make_video(page, width: int = 64, height: int = 48, seconds: int = 8) -> bytes:
    """Encode a `seconds`-long test video in the page's browser and return it as WebM bytes."""
    encoded = page.evaluate(ENCODE_JS, [width, height, seconds, FPS])
    return webm([base64.b64decode(chunk) for chunk in encoded], width, height)
