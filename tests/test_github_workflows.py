"""The contributor and publishing setup in .github/ (issue #8), checked as files:

* every workflow parses, runs only make targets that exist and scripts that
  exist, pins every action by a full commit SHA with a version comment, and
  asks for the least permissions it needs;
* the issue forms are well-formed, and the "Report a problem with this page"
  link on every built page opens the content-error form with that page filled in;
* the pre-commit hooks point at tools that are installed.

actionlint runs too when an `actionlint` binary is on PATH (it cannot be
installed from a package registry on the project's machines; see CONTRIBUTING.md).
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from conftest import ROOT, built_path, nav_pages
from site_helpers import pre_commit_hooks, tracked_files

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))
FORMS = GITHUB / "ISSUE_TEMPLATE"
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s*)?uses:\s*(?P<ref>\S+)\s*(?:#\s*(?P<comment>.*))?$")
# `make` as a command: at the start of a line or after ; && || | ( (not "apt-get install make")
MAKE_CALL = re.compile(r"(?:^[ \t]*|[;&|(][ \t]*)make[ \t]+(?P<args>[^;&|#\n]*)", re.M)


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as the boolean True
    value = workflow.get("on", workflow.get(True))
    return {value: None} if isinstance(value, str) else value


def steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, job, step


def run_scripts(workflow: dict) -> list[str]:
    return [step["run"] for _, _, step in steps(workflow) if "run" in step]


def makefile_targets() -> set[str]:
    """Target names from make's own database (`make -pRrq`), not a regex on the file."""
    out = subprocess.run(
        ["make", "-pRrq", "-f", "Makefile", ":"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ, SOURCE_DATE_EPOCH="0"),
    ).stdout
    targets, not_a_target = set(), False
    for line in out.splitlines():
        if line.startswith("# Not a target"):
            not_a_target = True
            continue
        match = re.match(r"^([A-Za-z0-9][\w.-]*):(?!=)", line)
        if match and not not_a_target:
            targets.add(match.group(1))
        not_a_target = False
    return targets


# --- workflows -----------------------------------------------------------------


def test_the_four_workflows_exist():
    names = {p.name for p in WORKFLOWS}
    assert {"pull-request.yml", "deploy.yml", "release.yml", "fresh-clone.yml"} <= names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_parses_and_every_job_has_steps(path):
    workflow = load_yaml(path)
    assert isinstance(workflow, dict) and workflow.get("name"), f"{path.name}: no name"
    assert triggers(workflow), f"{path.name}: no `on:` triggers"
    assert workflow.get("jobs"), f"{path.name}: no jobs"
    for job_id, job in workflow["jobs"].items():
        assert job.get("runs-on"), f"{path.name}: job {job_id} has no runs-on"
        assert job.get("timeout-minutes"), f"{path.name}: job {job_id} has no timeout"
        for step in job["steps"]:
            assert ("run" in step) != ("uses" in step), f"{path.name}: step {step} needs run or uses"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_runs_only_make_targets_that_exist(path):
    targets = makefile_targets()
    assert {"site", "lint", "linkcheck", "offline", "test"} <= targets, "could not read the Makefile"
    used = set()
    for script in run_scripts(load_yaml(path)):
        for call in MAKE_CALL.finditer(script):
            args = [a for a in shlex.split(call.group("args")) if not a.startswith("-") and "=" not in a]
            used.update(args)
    missing = used - targets
    assert not missing, f"{path.name} runs make targets the Makefile lacks: {sorted(missing)}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_runs_only_repo_scripts_that_exist(path):
    for script in run_scripts(load_yaml(path)):
        for ref in re.findall(r"(?<![\w/$.-])((?:\.ci|scripts)/[\w./-]+)", script):
            target = ROOT / ref
            assert target.is_file(), f"{path.name} runs {ref}, which does not exist"
            if ref.startswith(".ci/"):
                assert os.access(target, os.X_OK), f"{ref} is not executable"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_sha_with_a_version_comment(path):
    lines = [m for line in path.read_text().splitlines() if (m := USES_LINE.match(line))]
    assert lines, f"{path.name} uses no action"
    for match in lines:
        ref = match.group("ref").strip("'\"")
        if ref.startswith("./"):
            continue  # an action in this repository: pinned by the commit itself
        assert not ref.startswith("docker://"), f"{path.name}: docker action {ref}"
        assert SHA_PIN.match(ref), f"{path.name}: {ref} is not pinned by a 40-hex commit SHA"
        assert re.match(r"v\d+(\.\d+)*\b", match.group("comment") or ""), (
            f"{path.name}: {ref} needs a `# vX.Y.Z` comment naming the release"
        )


def test_same_action_is_pinned_to_the_same_sha_everywhere():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for line in path.read_text().splitlines():
            if (m := USES_LINE.match(line)) and "@" in m.group("ref"):
                name, sha = m.group("ref").split("@", 1)
                pins.setdefault(name, set()).add(sha)
    assert {name: shas for name, shas in pins.items() if len(shas) > 1} == {}


def permissions_of(workflow: dict, job: dict | None = None):
    return (job or {}).get("permissions", workflow.get("permissions"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_sets_least_permissions(path):
    workflow = load_yaml(path)
    assert "permissions" in workflow, f"{path.name}: set top-level permissions (default is broad)"
    top = workflow["permissions"]
    assert top in ({}, {"contents": "read"}), f"{path.name}: top-level permissions {top}"
    for job_id, job in workflow["jobs"].items():
        perms = permissions_of(workflow, job)
        assert perms not in ("write-all", "read-all"), f"{path.name}/{job_id}: {perms}"
        writes = {k for k, v in (perms or {}).items() if v == "write"}
        allowed = {
            "pull-request.yml": set(),
            "deploy.yml": {"pages", "id-token"} if job_id == "deploy" else set(),
            "release.yml": {"contents"},
        }.get(path.name, set())
        assert writes <= allowed, f"{path.name}/{job_id} writes {sorted(writes - allowed)}"


def test_pull_request_workflow_checks_everything_and_keeps_the_outputs():
    workflow = load_yaml(GITHUB / "workflows/pull-request.yml")
    assert "pull_request" in triggers(workflow)
    script = "\n".join(run_scripts(workflow))
    assert "make site" in script
    assert re.search(r"scripts/lint_pages\.py docs --format github", script)
    assert "make linkcheck" in script
    assert "make offline" in script
    assert ".ci/run" in script or "make test" in script
    uploads = [
        s["with"]["path"] for _, _, s in steps(workflow) if s.get("uses", "").startswith("actions/upload-artifact@")
    ]
    assert "site/" in uploads and "dist/*.zip" in uploads


DEBIAN_PACKAGES = ROOT / ".ci/debian-packages.txt"


def debian_packages() -> list[str]:
    """The one list of Debian packages (.ci/debian-packages.txt), as its installer reads it."""
    lines = (line.split("#", 1)[0].strip() for line in DEBIAN_PACKAGES.read_text().splitlines())
    return [line for line in lines if line]


def test_debian_packages_are_named_once_and_installed_without_recommends():
    """.ci/run, every workflow and the README install them with one script;
    nothing else names a package from the list in an apt-get line."""
    packages = debian_packages()
    assert {"chromium", "fonts-dejavu-core", "libpango-1.0-0", "default-jre-headless"} <= set(packages)
    installer = (ROOT / ".ci/install-debian-packages").read_text()
    assert "--no-install-recommends" in installer and "debian-packages.txt" in installer
    assert ".ci/install-debian-packages" in (ROOT / ".ci/run").read_text()
    assert ".ci/install-debian-packages" in (ROOT / "README.md").read_text()
    # Outside the list, only git and the certificates (checkout needs them
    # before the list exists) and gh (the release upload) are apt-installed
    bootstrap = {"ca-certificates", "git", "gh"}
    scripts = {path.name: "\n".join(run_scripts(load_yaml(path))) for path in WORKFLOWS}
    scripts[".ci/run"] = "\n".join(line.split("#", 1)[0] for line in (ROOT / ".ci/run").read_text().splitlines())
    for name, script in scripts.items():
        for line in script.splitlines():
            if "apt-get install" in line:
                named = {w for w in line.split("apt-get install", 1)[1].split() if not w.startswith("-")}
                assert named <= bootstrap, f"{name} installs {sorted(named - bootstrap)} outside the list"


@pytest.mark.parametrize("name", ["pull-request.yml", "release.yml", "fresh-clone.yml"])
def test_tests_run_with_debians_chromium(name):
    """Ubuntu's `chromium` package is a snap wrapper: the tests need Debian's,
    from the package list, installed in the job that runs them."""
    workflow = load_yaml(GITHUB / "workflows" / name)
    assert "chromium" in debian_packages()
    for job_id, job, step in steps(workflow):
        if ".ci/run" in step.get("run", "") or "make test" in step.get("run", ""):
            image = job.get("container", {})
            image = image.get("image") if isinstance(image, dict) else image
            assert image and image.startswith("debian:"), f"{name}/{job_id} is not in a Debian container"
            script = "\n".join(run_scripts({"jobs": {job_id: job}}))
            assert ".ci/install-debian-packages" in script or ".ci/run" in script, f"{name}/{job_id}"
            break
    else:
        pytest.fail(f"{name} runs no tests")


def test_pull_request_tiers_share_the_built_artefacts():
    """The tests job checks what the build job built and gated, not a build of its own."""
    jobs = load_yaml(GITHUB / "workflows/pull-request.yml")["jobs"]
    assert "make test-fast" in "\n".join(run_scripts({"jobs": {"fast": jobs["fast"]}}))
    tests = jobs["tests"]
    assert tests["needs"] == "build" or "build" in tests["needs"]
    downloads = {
        s["with"]["name"] for s in tests["steps"] if s.get("uses", "").startswith("actions/download-artifact@")
    }
    uploads = {
        s["with"]["name"] for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")
    }
    assert {"site", "offline-bundle"} <= downloads <= uploads
    run_step = next(s for s in tests["steps"] if ".ci/run" in s.get("run", ""))
    assert {"TEST_SITE", "TEST_OFFLINE_ZIP_DIR"} <= set(run_step.get("env", {}))


def test_a_weekly_run_tries_the_readme_commands_on_a_fresh_clone():
    workflow = load_yaml(GITHUB / "workflows/fresh-clone.yml")
    assert "schedule" in triggers(workflow)
    script = "\n".join(run_scripts(workflow))
    assert script.index("make site") < script.index("make test")
    uses = [s.get("uses", "") for _, _, s in steps(workflow)]
    assert not [u for u in uses if u.startswith("actions/cache")], "a fresh clone restores no cache"


def test_deploy_workflow_publishes_main_to_pages():
    workflow = load_yaml(GITHUB / "workflows/deploy.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {}
    uses = [s.get("uses", "").split("@")[0] for _, _, s in steps(workflow)]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_release_workflow_attaches_the_offline_zip_on_version_tags():
    workflow = load_yaml(GITHUB / "workflows/release.yml")
    assert triggers(workflow)["push"]["tags"] == ["v*"]
    script = "\n".join(run_scripts(workflow))
    assert "make offline" in script
    assert re.search(r"gh release create .*\n?.*massage-for-sciatica-offline-.*\.zip", script)


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not on PATH")
def test_actionlint_finds_nothing():
    result = subprocess.run(["actionlint", "-no-color", *map(str, WORKFLOWS)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --- issue forms, pull-request template, code owners -----------------------------

FORM_FILES = sorted(p for p in FORMS.glob("*.yml") if p.name != "config.yml")


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.name)
def test_issue_form_is_well_formed(path):
    form = load_yaml(path)
    for key in ("name", "description", "body"):
        assert form.get(key), f"{path.name}: missing {key}"
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate ids {ids}"
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if item["type"] != "markdown":
            assert item.get("id") and item["attributes"].get("label"), f"{path.name}: {item}"
        if item["type"] == "dropdown":
            assert item["attributes"].get("options")


def test_content_and_site_forms_exist_and_blank_issues_are_off():
    assert {p.name for p in FORM_FILES} >= {"content-error.yml", "site-problem.yml"}
    assert load_yaml(FORMS / "config.yml")["blank_issues_enabled"] is False


def test_code_owners_ask_medical_review_for_docs():
    lines = [
        line.split()
        for line in (GITHUB / "CODEOWNERS").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    docs = [owners for pattern, *owners in lines if pattern in ("/docs/", "docs/", "/docs/**")]
    assert docs and "@massage-for-sciatica/medical-reviewers" in docs[-1]


def test_pull_request_template_has_the_editorial_and_medical_checklists():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text()
    assert "## Editorial checklist" in text and "## Medical checklist" in text
    assert text.count("- [ ]") >= 10


# --- "Report a problem with this page" and the edit link -------------------------

REPORT_PAGES = nav_pages()


@pytest.fixture(scope="module")
def content_form_ids() -> set[str]:
    return {item["id"] for item in load_yaml(FORMS / "content-error.yml")["body"] if "id" in item}


@functools.cache
def site_config():
    return load_config(str(ROOT / "mkdocs.yml"))


def hosted_url(src: str) -> str:
    config = site_config()
    stem = src.removesuffix(".md").removesuffix("index")
    return config["site_url"] + stem + ("/" if stem and not stem.endswith("/") else "")


def check_report_link(html: str, src: str, form_ids: set[str]) -> None:
    config = site_config()
    repo = config["repo_url"].rstrip("/")
    page = BeautifulSoup(html, "html.parser")

    link = page.select_one("a.page-report__issue")
    assert link is not None and link.get_text(strip=True) == "Report a problem with this page"
    url = urlsplit(link["href"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{repo}/issues/new"
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query["template"] == "content-error.yml"
    assert (FORMS / query["template"]).is_file()
    assert query["page"] == hosted_url(src), "the page's address on the hosted site"
    assert query["source"] == f"docs/{src}"
    assert query["title"].startswith("Problem on page: ")
    # Issue forms fill only inputs whose id matches a query parameter
    assert set(query) - {"template", "title", "labels", "assignees"} <= form_ids

    edit = [a["href"] for a in page.select("a.md-content__button[rel=edit], a.page-report__edit")]
    assert edit and set(edit) == {f"{repo}/{config['edit_uri'].strip('/')}/{src}"}


@pytest.mark.parametrize("src", REPORT_PAGES)
def test_page_links_to_the_issue_form_with_the_page_filled_in(built_site, content_form_ids, src):
    html = (built_site / built_path(src, directory_urls=True)).read_text(encoding="utf-8")
    check_report_link(html, src, content_form_ids)


@pytest.mark.parametrize("src", ["index.md", "causes/index.md", "techniques/cupping.md"])
def test_offline_page_reports_the_hosted_address(offline_bundle, content_form_ids, src):
    """The bundle's own URLs end in .html; the form gets the page's hosted address."""
    _, root = offline_bundle
    html = (root / built_path(src, directory_urls=False)).read_text(encoding="utf-8")
    check_report_link(html, src, content_form_ids)


# --- pre-commit -------------------------------------------------------------------


def test_pre_commit_hooks_run_installed_tools():
    hooks = pre_commit_hooks()
    assert {h["id"] for h in hooks} >= {"pagelint", "check-yaml", "codespell", "markdownlint"}
    for hook in hooks:
        executable = shlex.split(hook["entry"])[0]
        if "/" in executable:
            assert (ROOT / executable).is_file(), f"hook {hook['id']}: {executable} is not installed"
        else:
            assert shutil.which(executable), f"hook {hook['id']}: {executable} is not on PATH"
    check_yaml = next(h for h in hooks if h["id"] == "check-yaml")
    result = subprocess.run([*shlex.split(check_yaml["entry"]), "mkdocs.yml"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"check-yaml rejects mkdocs.yml (!ENV tag):\n{result.stdout}"


CONFLICT_MARKER = re.compile(rb"^(<{7}|>{7}) ", re.M)


def test_no_merge_conflict_markers_in_tracked_files():
    """A merge left '<<<<<<< HEAD' in .codespellrc once, which broke codespell
    (pre-commit) without failing any build; nothing tracked may carry one."""
    files = tracked_files()
    assert len(files) > 100, "git ls-files listed almost nothing: the check is vacuous"
    marked = [name for name in files if (ROOT / name).is_file() and CONFLICT_MARKER.search((ROOT / name).read_bytes())]
    assert marked == [], f"merge conflict markers in {marked}"
    assert CONFLICT_MARKER.search(b"x\n<<<<<<< HEAD\ny\n")  # the pattern can fail
