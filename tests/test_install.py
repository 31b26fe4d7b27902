"""The environment is made from the lock exactly, whatever has been released
since (issue #23).

On 7 December 2026 a fresh `make site` failed: the venv's pip 23.2.1 resolved
weasyprint's `fonttools[woff]` extra against the registry, took a fonttools
released after the lock, and refused it. These tests run the Makefile's own
install command, with the pinned uv, on a small project whose package index
is a local folder: a dependency with an extra is locked at 1.0, then 1.1 is
"released"; the install must still take 1.0, and a lock that no longer
matches pyproject.toml must be refused, not re-resolved. No network.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shlex
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

UV = ROOT / ".uv/bin/uv"


def make_sync_command(target: str) -> list[str]:
    """The `uv sync` command `make TARGET` runs, as make itself prints it (dry run)."""
    out = subprocess.run(
        ["make", "-n", "--no-print-directory", target], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    (line,) = [line for line in out.splitlines() if " sync " in line and "uv" in line]
    return shlex.split(line)


def write_wheel(
    folder: Path, name: str, version: str, requires: list[str] = (), extras: dict[str, list[str]] | None = None
) -> Path:
    """A minimal, valid pure-Python wheel (PEP 427), built here: no registry."""
    dist = f"{name}-{version}.dist-info"
    meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    meta += [f"Requires-Dist: {r}" for r in requires]
    for extra, reqs in (extras or {}).items():
        meta.append(f"Provides-Extra: {extra}")
        meta += [f'Requires-Dist: {r}; extra == "{extra}"' for r in reqs]
    files = {
        f"{name}/__init__.py": f"VERSION = {version!r}\n",
        f"{dist}/METADATA": "\n".join(meta) + "\n",
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: test_install\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{dist}/RECORD,,")
    files[f"{dist}/RECORD"] = "\n".join(record) + "\n"
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for path, text in files.items():
            zf.writestr(path, text)
    return wheel


@pytest.fixture
def project(tmp_path):
    """A project that needs `app`, which needs `fonts[woff]>=1.0`, locked while
    the local index held fonts 1.0 only."""
    if not UV.is_file():
        pytest.fail(f"{UV} is missing: every make target installs it (make site)")
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    write_wheel(wheels, "app", "1.0", requires=["fonts[woff]>=1.0"])
    write_wheel(wheels, "fonts", "1.0", extras={"woff": ["brotlish"]})
    write_wheel(wheels, "brotlish", "1.0")
    work = tmp_path / "project"
    work.mkdir()
    (work / "pyproject.toml").write_text(
        '[project]\nname = "fixture"\nversion = "0"\nrequires-python = ">=3.11"\n'
        'dependencies = ["app"]\n\n'
        # The groups the Makefile's targets name, here empty
        "[dependency-groups]\npdf = []\ntest = []\ndev = []\n\n"
        f'[tool.uv]\npackage = false\nno-index = true\nfind-links = ["{wheels.as_posix()}"]\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "PIP_", "VIRTUAL_ENV"))}
    env.update(
        UV_CACHE_DIR=str(tmp_path / "cache"),
        UV_PYTHON=sys.executable,
        UV_PYTHON_DOWNLOADS="never",
        UV_PROJECT_ENVIRONMENT=str(work / ".venv"),
        UV_OFFLINE="1",
    )
    locked = subprocess.run([str(UV), "lock"], cwd=work, env=env, capture_output=True, text=True)
    assert locked.returncode == 0, locked.stderr
    # Then a newer release of the locked dependency appears on the index
    write_wheel(wheels, "fonts", "1.1", extras={"woff": ["brotlish"]})
    return work, env


def installed(work: Path, name: str) -> str:
    python = work / ".venv/bin/python"
    return subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version({name!r}))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize("target", ["env-build", "env-test"])
def test_install_takes_the_locked_version_when_a_newer_one_is_released(project, target):
    work, env = project
    command = make_sync_command(target)
    assert command[0] == ".uv/bin/uv" and "--locked" in command, command
    result = subprocess.run([str(UV), *command[1:]], cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert installed(work, "fonts") == "1.0"
    assert installed(work, "brotlish") == "1.0"  # the extra's own dependency came too


def test_a_resolving_install_would_have_taken_the_newer_release(project):
    """The scenario is real: an installer that resolves takes fonts 1.1."""
    work, env = project
    subprocess.run([str(UV), "venv", "--quiet", str(work / ".venv")], cwd=work, env=env, check=True)
    result = subprocess.run(
        [
            str(UV),
            "pip",
            "install",
            "--quiet",
            "--python",
            str(work / ".venv/bin/python"),
            "--no-index",
            "--find-links",
            str(work.parent / "wheels"),
            "app",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert installed(work, "fonts") == "1.1"


def test_a_lock_that_no_longer_matches_the_project_is_refused_not_resolved(project):
    work, env = project
    pyproject = work / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('["app"]', '["app", "fonts>=1.1"]'))
    command = make_sync_command("env-build")
    result = subprocess.run([str(UV), *command[1:]], cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "lock" in result.stderr.lower() and "--locked" in result.stderr, result.stderr
    # Nothing was resolved or installed on the way
    assert not list(work.rglob("fonts-1.1.dist-info"))


def test_the_project_lock_matches_pyproject_and_the_installer_is_pinned_by_hash():
    """uv.lock is current (`uv lock --check` resolves nothing, offline), and
    requirements-uv.txt pins one uv version with a hash for every wheel."""
    result = subprocess.run(
        [str(UV), "lock", "--check", "--offline"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, UV_PYTHON=sys.executable, UV_PYTHON_DOWNLOADS="never"),
    )
    assert result.returncode == 0, result.stderr
    lines = (ROOT / "requirements-uv.txt").read_text().splitlines()
    pins = [line for line in lines if line.startswith("uv==")]
    assert len(pins) == 1 and pins[0].split()[0].count("==") == 1, pins
    hashes = [line for line in lines if "--hash=sha256:" in line]
    assert len(hashes) >= 5, "one hash for each of uv's platform wheels"
    version = pins[0].split("==")[1].split()[0]
    assert subprocess.run([str(UV), "--version"], capture_output=True, text=True).stdout.split()[1] == version


def test_dependency_groups_keep_the_build_small():
    """`make site` installs the build only: no test or developer tool in it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    build = " ".join(project["project"]["dependencies"]).lower()
    for tool in ("pytest", "playwright", "linkchecker", "weasyprint", "pre-commit", "ruff"):
        assert tool not in build, f"{tool} is in the build's dependencies"
    groups = project["dependency-groups"]
    assert {"pdf", "test", "dev"} <= set(groups)
    assert project["tool"]["uv"]["default-groups"] == []
