"""`prelude serve` on the command line, and what the server remembers between pages."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from prelude_cli.cli.main import main
from prelude_cli.web.reading import Reader
from prelude_cli.web.security import allowed_hosts, is_loopback

SAMPLE = Path(__file__).resolve().parents[2] / "sample_casebook"
AS_OF = date(2026, 11, 26)


def exits(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Through `main`, the error boundary that turns a usage error into exit 2."""
    with pytest.raises(SystemExit) as done:
        main(list(args))
    return int(done.value.code or 0), capsys.readouterr().err


def test_a_remote_host_is_refused_without_allow_remote(capsys) -> None:
    code, out = exits(capsys, "serve", "-C", str(SAMPLE), "--host", "0.0.0.0", "--no-open")
    assert code == 2
    assert "--allow-remote" in out and "not a loopback address" in out


def test_a_port_in_use_is_a_usage_error(capsys) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        code, out = exits(capsys, "serve", "-C", str(SAMPLE), "--port",
                          str(busy.getsockname()[1]), "--no-open")
    finally:
        busy.close()
    assert code == 2
    assert "cannot listen on 127.0.0.1:" in out and "--port" in out


def test_it_prints_its_urls_and_serves_until_stopped(tmp_path: Path) -> None:
    """A real start: the two URLs with different tokens, then it answers, then Ctrl-C."""
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    proc = subprocess.Popen([sys.executable, "-m", "prelude_cli", "serve", "-C", str(book),
                             "--port", "0", "--no-open", "--as-of", AS_OF.isoformat()],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(3)]  # type: ignore[union-attr]
        assert lines[0].startswith("prelude serve: ")
        open_url = lines[1].split()[1]
        feed_url = lines[2].split()[1]
        assert open_url.startswith("http://127.0.0.1:") and "/?token=" in open_url
        assert "/due.ics?token=" in feed_url
        assert open_url.split("token=")[1] != feed_url.split("token=")[1]
        import urllib.request

        with urllib.request.urlopen(feed_url, timeout=60) as response:
            assert response.status == 200
            assert b"BEGIN:VCALENDAR" in response.read()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err
    assert "token=" not in err  # no access log carries the tokens


def test_hosts_accepted() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("192.168.1.20") and not is_loopback("0.0.0.0")
    hosts = allowed_hosts("127.0.0.1", 8765)
    assert hosts is not None and "127.0.0.1:8765" in hosts and "localhost:8765" in hosts
    assert "evil.example:8765" not in hosts and "127.0.0.1:8766" not in hosts
    assert allowed_hosts("192.168.1.20", 80) == frozenset({"192.168.1.20:80", "192.168.1.20"})
    assert allowed_hosts("0.0.0.0", 8765) is None  # no one name: the token guards it


def test_the_reader_remembers_only_while_nothing_changed(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    reader = Reader(book, as_of=AS_OF, watch=False)
    made: list[int] = []

    def make() -> int:
        made.append(1)
        return len(made)

    # without a live watcher, every page reads (through the cache)
    assert reader.remembered(("x",), make) == 1
    assert reader.remembered(("x",), make) == 2
    monkeypatch.setattr(reader.watcher, "live", True)
    assert reader.remembered(("x",), make) == 3
    assert reader.remembered(("x",), make) == 3  # nothing changed: remembered
    reader.changed()  # a form wrote
    assert reader.remembered(("x",), make) == 4
    reader.watcher.generation += 1  # a file event
    assert reader.remembered(("x",), make) == 5
    reader.close()


def test_the_watcher_sees_an_edit_but_not_the_cache(tmp_path: Path) -> None:
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    reader = Reader(book, as_of=AS_OF)
    watcher = reader.watcher
    try:
        ready = threading.Event()
        for _ in range(100):
            if watcher.live:
                break
            ready.wait(0.05)
        assert watcher.live
        assert watcher.relevant(None, str(book / "cases" / "OP-7FM7H9" / "plan.yaml"))
        assert not watcher.relevant(None, str(book / ".prelude-cache" / "summaries.json"))
        assert not watcher.relevant(None, str(book / ".git" / "index"))
        before = watcher.generation
        case = book / "cases" / "OP-7FM7H9" / "case.yaml"
        case.write_text(case.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        for _ in range(100):
            if watcher.generation != before:
                break
            ready.wait(0.05)
        assert watcher.generation != before
    finally:
        reader.close()
    assert not watcher.live
