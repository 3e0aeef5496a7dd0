"""What the benchmark scripts share: running the cms command, free ports, log tails."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says why."""


def cms(env: dict[str, str], *command: str) -> str:
    """Run ``cms COMMAND`` in this interpreter; return its stdout, or stop with its output."""
    argv = [sys.executable, "-m", "cms.cli", *command]
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        raise BenchError(f"`cms {' '.join(command)}` exited with {done.returncode}:\n{output}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
