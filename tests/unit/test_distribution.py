"""Where prelude was installed from, in words, from the installer's PEP 610 record; and what
`prelude doctor` says about the installation."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from prelude_cli import __version__
from prelude_cli.cli.main import app
from prelude_cli.tools import distribution, doctor

runner = CliRunner()


@pytest.mark.parametrize(("record", "said"), [
    (None, "a package index (installed by name)"),
    ({"url": "https://git.example.police.uk/tools/prelude.git",
      "vcs_info": {"vcs": "git", "requested_revision": "v0.2.0",
                   "commit_id": "0123456789abcdef0123456789abcdef01234567"}},
     "git https://git.example.police.uk/tools/prelude.git at v0.2.0 (commit 0123456789ab)"),
    ({"url": "file:///srv/wheels/prelude_casebook-0.2.0-py3-none-any.whl",
      "archive_info": {"hashes": {"sha256": "00"}}},
     "file /srv/wheels/prelude_casebook-0.2.0-py3-none-any.whl"),
    ({"url": "https://pypi.example.police.uk/files/prelude_casebook-0.2.0-py3-none-any.whl",
      "archive_info": {}},
     "file https://pypi.example.police.uk/files/prelude_casebook-0.2.0-py3-none-any.whl"),
    ({"url": "file:///home/analyst/prelude%20copy", "dir_info": {"editable": True}},
     "editable install of /home/analyst/prelude copy"),
    ({"url": "file:///home/analyst/prelude", "dir_info": {}}, "folder /home/analyst/prelude"),
])
def test_the_source_in_words(record: dict | None, said: str) -> None:
    assert distribution.describe_source(record) == said


def test_doctor_names_the_distribution_and_where_it_came_from() -> None:
    result = runner.invoke(app, ["doctor", "--format", "json"])
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    found = distribution.installed()
    assert found is not None  # the test run's own install of prelude
    assert checks["distribution"] == {"name": "distribution", "status": "info",
                                      "detail": f"prelude-casebook {__version__}"}
    assert checks["installed from"]["detail"] == found.source
    assert checks["installed in"]["detail"] == found.location


def test_doctor_warns_of_a_distribution_under_an_old_or_foreign_name(monkeypatch) -> None:
    monkeypatch.setattr(distribution, "foreign_installed", lambda: [("prelude-cli", "0.1.0")])
    checks = {c.name: c for c in doctor.installation_checks()}
    warning = checks["prelude-cli (other distribution)"]
    assert warning.status == doctor.WARN
    assert "pip uninstall prelude-cli, then reinstall prelude-casebook" in warning.detail


def test_doctor_warns_when_running_from_a_source_tree(monkeypatch) -> None:
    monkeypatch.setattr(distribution, "installed", lambda name=distribution.DIST_NAME: None)
    (check,) = [c for c in doctor.installation_checks() if c.name == "distribution"]
    assert check.status == doctor.WARN and "not installed" in check.detail


def test_doctor_warns_when_the_recorded_version_is_not_the_code(monkeypatch) -> None:
    stale = distribution.Installed("prelude-casebook", "0.1.9", "a package index", "/x")
    monkeypatch.setattr(distribution, "installed", lambda name=distribution.DIST_NAME: stale)
    (check,) = [c for c in doctor.installation_checks() if c.name == "distribution"]
    assert check.status == doctor.WARN and "0.1.9" in check.detail and __version__ in check.detail


def test_sample_files_leave_out_what_prelude_leaves_behind(tmp_path, monkeypatch) -> None:
    for rel in ("casebook.yaml", "cases/OP-7K3M9Q/case.yaml", ".gitignore",
                ".prelude-cache/v1/index", "identities.yaml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x\n")
    monkeypatch.setattr(distribution, "sample_dir", lambda: tmp_path)
    assert distribution.sample_files() == [".gitignore", "casebook.yaml",
                                           "cases/OP-7K3M9Q/case.yaml"]
