#!/usr/bin/env python3
"""Live preview for writers: `make serve [PORT=8001]`.

Runs `mkdocs serve` without strict mode, so a page with lint errors still
rebuilds and is served, its findings printed as WARNING lines (the strict gate
stays in `make site`, `make test` and CI). Checks the port first, so a busy
port is one line of advice instead of a traceback.

Usage: python scripts/serve.py [--port 8000] [--host 127.0.0.1] [mkdocs serve options...]
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def port_problem(host: str, port: int) -> str | None:
    """Why host:port cannot be served on, or None if it is free."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (
                    f"port {port} on {host} is already in use (another `make serve`?): "
                    f"stop it, or use another port: make serve PORT={port + 1}"
                )
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", default=os.environ.get("PORT") or "8000")
    parser.add_argument("--host", default="127.0.0.1")
    args, extra = parser.parse_known_args(argv)
    if not str(args.port).isdigit() or not 0 < int(args.port) < 65536:
        print(f"serve: PORT must be a number from 1 to 65535, not {args.port!r}", file=sys.stderr)
        return 2
    port = int(args.port)
    problem = port_problem(args.host, port)
    if problem:
        print(f"serve: {problem}", file=sys.stderr)
        return 1
    mkdocs = Path(sys.executable).with_name("mkdocs")
    cmd = [str(mkdocs), "serve", "--no-strict", "--dev-addr", f"{args.host}:{port}", *extra]
    sys.stdout.flush()
    os.chdir(ROOT)
    os.execv(cmd[0], cmd)  # the server is mkdocs itself: Ctrl+C stops it as before


if __name__ == "__main__":
    sys.exit(main())
