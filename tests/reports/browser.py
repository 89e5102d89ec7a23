"""Headless Chromium for the browser tests: Debian's `chromium` (`.ci/run` installs it)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p), None)
MISSING = "chromium not found: install Debian's chromium package"

Run = subprocess.CompletedProcess[str]


def chromium(page: Path, *args: str) -> Run:
    """Run headless Chromium on a local page, isolated, offline and logging the console."""
    assert CHROMIUM is not None, MISSING
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
             "--enable-logging=stderr", "--v=0", "--hide-scrollbars", *args,
             page.as_uri()],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def print_to_pdf(page: Path, pdf: Path) -> Run:
    """Print a page to PDF as a person would (A4 from the page's own @page rule), without
    the browser's own header and footer (the date, title and URL), which are not the report's."""
    return chromium(page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
