"""Tiny media for the bundled packs: 8 kHz mono WAV tones and speech, reproducible zips."""
from __future__ import annotations

import io
import math
import shutil
import subprocess
import tempfile
import wave
import zipfile
from array import array
from pathlib import Path

RATE = 8000          # telephone quality: plenty for a tone or a syllable, 8 KB a second
ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # fixed timestamps keep the zips byte-for-byte reproducible


def write_wav(path: Path, samples: list[float]) -> float:
    """Write samples in [-1, 1] as 8-bit mono PCM at RATE; return the duration in seconds."""
    data = bytes(max(0, min(255, int(round(128 + 120 * s)))) for s in samples)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(RATE)
        out.writeframes(data)
    return len(samples) / RATE


def tone(freq_start: float, freq_end: float, seconds: float, volume: float = 0.5) -> list[float]:
    """A soft sine glide with gentle fades, so it never clicks."""
    n = int(seconds * RATE)
    fade = int(0.25 * RATE)
    out, phase = [], 0.0
    for i in range(n):
        freq = freq_start + (freq_end - freq_start) * i / n
        phase += 2 * math.pi * freq / RATE
        envelope = min(1.0, i / fade, (n - i) / fade)
        # a quiet octave above makes it rounder, like a small bell
        out.append(volume * envelope * (0.8 * math.sin(phase) + 0.2 * math.sin(2 * phase)))
    return out


def silence(seconds: float) -> list[float]:
    """Quiet for a moment."""
    return [0.0] * int(seconds * RATE)


def espeak_available() -> bool:
    """True when espeak-ng is installed (speech is regenerated only then)."""
    return shutil.which("espeak-ng") is not None


def speak(text: str, voice: str, speed: int = 110) -> list[float]:
    """Speak text with espeak-ng and return it resampled to RATE, silence trimmed."""
    with tempfile.TemporaryDirectory() as tmp:
        wav_path = Path(tmp) / "s.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-g", "12",
                        "-w", str(wav_path), text], check=True, capture_output=True)
        with wave.open(str(wav_path), "rb") as src:
            rate = src.getframerate()
            raw = array("h", src.readframes(src.getnframes()))
    samples = [v / 32768 for v in raw]
    # average over the decimation step: a crude low-pass so 22 kHz speech does not alias
    step = rate / RATE
    width = max(1, int(step))
    out = []
    pos = 0.0
    while pos + width < len(samples):
        i = int(pos)
        out.append(sum(samples[i:i + width]) / width)
        pos += step
    peak = max((abs(v) for v in out), default=0) or 1.0
    out = [v / peak * 0.9 for v in out]
    threshold = 0.02
    first = next((i for i, v in enumerate(out) if abs(v) > threshold), 0)
    last = len(out) - next((i for i, v in enumerate(reversed(out)) if abs(v) > threshold), 0)
    return out[first:last]


def reproducible_zip(files: dict[str, bytes]) -> bytes:
    """Zip the given name -> bytes map with sorted names and fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def wav_duration(path: Path) -> float:
    """Seconds of audio in a WAV file."""
    with wave.open(str(path), "rb") as src:
        return src.getnframes() / src.getframerate()
