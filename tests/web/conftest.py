"""A real `prelude serve` on a copy of the sample casebook, Playwright driving Debian's
Chromium, and axe-core from the npm registry. Each is skipped with the reason shown only
when it cannot be had (no Chromium, no Playwright, no npm or no registry)."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_casebook"
AS_OF = date(2026, 11, 26)
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p), None)
AXE_VERSION = "4"  # the major version the checks below are written for
AXE_CACHE = ROOT / ".cache" / "axe-core"
"""Untracked (.gitignore): axe-core is fetched once with `npm pack`, then reused."""


@dataclass
class Server:
    url: str
    token: str
    feed_token: str
    root: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`prelude serve`'s application under uvicorn on a free loopback port, in a thread."""
    import uvicorn

    from prelude_cli.cli.serve import _bind
    from prelude_cli.web.app import create_app
    from prelude_cli.web.reading import Reader
    from prelude_cli.web.security import Secrets

    root = tmp_path_factory.mktemp("served") / "book"
    shutil.copytree(SAMPLE, root)
    sock = _bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    secrets = Secrets()
    reader = Reader(root, as_of=AS_OF, jobs=1)
    config = uvicorn.Config(create_app(reader, secrets, "127.0.0.1", port),
                            log_level="warning", access_log=False, lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not uv.started and thread.is_alive():
        threading.Event().wait(0.05)
    yield Server(f"http://127.0.0.1:{port}", secrets.token, secrets.feed_token, root)
    uv.should_exit = True
    thread.join(timeout=10)
    reader.close()
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("chromium not found: install Debian's chromium package (.ci/run does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser build, from the npm registry through `npm pack` (cached)."""
    script = AXE_CACHE / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm not found: cannot fetch axe-core from the npm registry")
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        try:
            done = subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--silent",
                                   "--pack-destination", str(AXE_CACHE)], capture_output=True,
                                  text=True, timeout=180, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            pytest.skip("the npm registry did not answer in time: axe-core not fetched")
        tarballs = sorted(AXE_CACHE.glob("axe-core-*.tgz"))
        if done.returncode != 0 or not tarballs:
            pytest.skip(f"npm pack axe-core failed (registry unreachable?): "
                        f"{done.stderr.strip()[-300:]}")
        with tarfile.open(tarballs[-1]) as tar:
            member = tar.extractfile("package/axe.min.js")
            assert member is not None
            script.write_bytes(member.read())
    return script.read_text(encoding="utf-8")
