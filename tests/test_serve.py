"""`make serve` (scripts/serve.py), issue #16: a busy port is one line of
advice, and the preview keeps rebuilding and serving while a page has lint
errors, which it prints as warnings. Only 127.0.0.1, with bounded waits."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import BUILD_ENV, ROOT
from site_helpers import check_links, copy_project

SERVE = "scripts/serve.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_busy_port_gives_one_line_not_a_traceback():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, SERVE, "--port", str(port)],
            cwd=ROOT,
            env=BUILD_ENV,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"serve: port {port} on 127.0.0.1 is already in use")
    assert f"make serve PORT={port + 1}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_that_is_not_a_number_is_refused():
    result = subprocess.run(
        [sys.executable, SERVE, "--port", "eighty"], cwd=ROOT, env=BUILD_ENV, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "PORT must be a number" in result.stderr


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(predicate, seconds: float, server: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, f"mkdocs serve exited ({server.returncode}):\n{log.read_text()[-3000:]}"
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {seconds} s:\n{log.read_text()[-3000:]}")


@pytest.mark.build
def test_serve_keeps_building_and_serving_a_page_with_lint_errors(tmp_path):
    work = copy_project(tmp_path / "repo")
    page = work / "docs/techniques/cupping.md"
    text = page.read_text(encoding="utf-8")
    # A lint error from the start: the disclaimer is gone
    page.write_text(text.replace('--8<-- "disclaimer.md"', "", 1), encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}{check_links.site_prefix(work / 'mkdocs.yml')}techniques/cupping/"
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, SERVE, "--port", str(port)], cwd=work, env=BUILD_ENV, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            _wait_for(lambda: (_get(url) or "").count("Cupping") > 0, 120, server, log)
            assert "disclaimer-missing" in log.read_text() and "WARNING" in log.read_text()

            # A second error while it runs: an unknown source id; the page still rebuilds and is served
            marker = "A sentence added while the preview runs."
            page.write_text(
                text.replace('--8<-- "disclaimer.md"', "", 1).replace("sources: [", "sources: [nobody-2099, ", 1)
                + f"\n{marker}\n",
                encoding="utf-8",
            )
            _wait_for(lambda: marker in (_get(url) or ""), 120, server, log)
            assert "source-unknown" in log.read_text()
            assert "Aborted" not in log.read_text()
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=20)
