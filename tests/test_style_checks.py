"""The pre-commit hooks' style checks, run over every tracked file as the
hooks would run them, so CI reports what a contributor without the hooks
installed would otherwise leave for a reviewer (the page lint, YAML and
conflict markers are tested elsewhere).

Each hook's command, file types and exclude pattern are read from
.pre-commit-config.yaml, so the test cannot drift from the hook."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
from identify.identify import tags_from_path

from conftest import ROOT
from site_helpers import pre_commit_hooks, require, tracked_files


def files_for(spec: dict) -> list[str]:
    """The tracked files pre-commit would hand the hook with --all-files."""
    exclude = re.compile(spec["exclude"]) if spec.get("exclude") else None
    wanted = set(spec.get("types", []))
    return [
        name
        for name in tracked_files()
        if (ROOT / name).is_file()
        and not (exclude and exclude.search(name))
        and wanted <= tags_from_path(str(ROOT / name))
    ]


@pytest.mark.parametrize("hook_id", ["markdownlint", "codespell", "ruff-check", "ruff-format"])
def test_hook_passes_on_every_tracked_file(hook_id):
    spec = next(hook for hook in pre_commit_hooks() if hook["id"] == hook_id)
    entry = shlex.split(spec["entry"])
    require((ROOT / entry[0]).is_file(), f"{entry[0]} missing: run `make test-fast` (it installs the dev tools)")
    files = files_for(spec)
    assert len(files) > 20, f"{hook_id}: only {len(files)} files: the check is vacuous"
    result = subprocess.run(entry + files, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, (
        f"{hook_id} failed (run it: {' '.join(entry)} <file>):\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    )
