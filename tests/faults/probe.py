"""Rerun the list of failures behind the "writes that cannot hurt" work and print counts.

Not a test (pytest does not collect it, nothing is timed): a probe to run by hand, against
this checkout or another one, that says for each fault how many tries the tool held.

    python tests/faults/probe.py                       # this checkout
    python tests/faults/probe.py --code-from DIR       # another checkout's prelude_cli
    python tests/faults/probe.py --kills 20            # random SIGKILLs per command

Each try runs prelude in a child process with a time limit (a hang is a failure) and an
address-space limit (reading a device without bound is a failure, not a dead machine). Faults
that need root (device files, a small full disk) are counted as skipped without it.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parents[1] / "sample_casebook"
CASE = "OP-7FM7H9"  # a sample case with a plan, contacts and assessments, not exited
TIMEOUT = 30
MEMORY = 2 * 1024**3
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
CODE_FROM: str | None = None


class Skip(Exception):
    pass


def limits() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(*args: object, cwd: Path | None = None, stdin: bytes | None = None,
        timeout: float = TIMEOUT) -> tuple[int | None, str, str]:
    """(exit code or None if it hung, stdout, stderr)."""
    env = {**os.environ, "NO_COLOR": "1", "PRELUDE_JOBS": "1"}
    if CODE_FROM:
        env["PYTHONPATH"] = CODE_FROM
    try:
        done = subprocess.run([sys.executable, "-m", "prelude_cli", *map(str, args)],
                              input=stdin, capture_output=True, timeout=timeout,
                              cwd=cwd or tempfile.gettempdir(),  # not this checkout's code
                              env=env, preexec_fn=limits if os.name == "posix" else None,
                              stdin=None if stdin is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, "", "hung"
    return done.returncode, done.stdout.decode("utf-8", "replace"), \
        done.stderr.decode("utf-8", "replace")


def tree(root: Path) -> dict[str, str]:
    out = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".prelude-cache"]
        for name in [*dirs, *files]:
            p = Path(folder) / name
            mode = os.lstat(p).st_mode
            rel = p.relative_to(root).as_posix()
            out[rel] = (hashlib.sha256(p.read_bytes()).hexdigest() if stat.S_ISREG(mode)
                        else "dir" if stat.S_ISDIR(mode) else f"special{mode:o}")
    return out


@contextlib.contextmanager
def book() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "book"
        shutil.copytree(SAMPLE, root)
        yield root


def special(path: Path, kind: str) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        if not IS_ROOT:
            raise Skip
        minor = {"null": 3, "zero": 5, "full": 7}[kind]
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))


@contextlib.contextmanager
def small_disk(size: str = "1m") -> Iterator[Path]:
    if not IS_ROOT:
        raise Skip
    where = Path(tempfile.mkdtemp())
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                      capture_output=True, check=False).returncode:
        raise Skip
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        shutil.rmtree(where, ignore_errors=True)


def fill(folder: Path, leave: int) -> None:
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize - leave
    with open(folder / "filler", "wb") as fh, contextlib.suppress(OSError):
        while free > 0:
            fh.write(b"\0" * min(65536, free))
            free -= 65536


def clean_exit(code: int | None, err: str) -> bool:
    return code in (0, 1, 2) and "Traceback" not in err and "Exception ignored" not in err


PROBES: list[tuple[str, Callable[[], bool]]] = []


def probe(name: str) -> Callable[[Callable[[], bool]], Callable[[], bool]]:
    def add(fn: Callable[[], bool]) -> Callable[[], bool]:
        PROBES.append((name, fn))
        return fn
    return add


def _out_target(kind: str, force: bool, command: str) -> bool:
    with book() as root:
        target = root.parent / "out" / "target"
        special(target, kind)
        args = (["report", "case", CASE, "--out", target] if command == "report" else
                ["export", "--format", "csv", "--out", target])
        code, _, err = run(*args, "-C", root, *(["--force"] if force else []))
        return code == 2 and not target.is_file() and clean_exit(code, err)


for _kind in ("null", "full", "fifo"):
    for _force in (False, True):
        for _command in ("report", "export"):
            probe(f"{_command} --out {_kind}{' --force' if _force else ''}")(
                lambda k=_kind, f=_force, c=_command: _out_target(k, f, c))


@probe("report --out an existing file, no --force")
def _existing() -> bool:
    with book() as root:
        target = root.parent / "r.md"
        target.write_text("mine")
        code, _, _ = run("report", "case", CASE, "-C", root, "--out", target)
        return code == 2 and target.read_text() == "mine"


@probe("report --out a link")
def _link() -> bool:
    with book() as root:
        victim = root.parent / "victim"
        victim.write_text("mine")
        (root.parent / "link.md").symlink_to(victim)
        run("report", "case", CASE, "-C", root, "--out", root.parent / "link.md", "--force")
        return victim.read_text() == "mine"


for _rel in (f"cases/{CASE}/plan.yaml", "casebook.yaml", "providers.yaml"):
    @probe(f"report --out {_rel} --force")
    def _over(rel: str = _rel) -> bool:
        with book() as root:
            before = tree(root)
            run("report", "case", CASE, "-C", root, "--out", root / rel, "--force")
            return tree(root) == before


for _args in (("assess", CASE, "--date", "2026-11-01", "--assessor", "X", "--from-file"),
              ("identity", "set", CASE, "--from-file")):
    @probe(f"{' '.join(_args[:2])} --from-file a device")
    def _from_dev(args: tuple[str, ...] = _args) -> bool:
        with book() as root:
            dev = root.parent / "zero"
            special(dev, "zero")
            code, _, err = run(*args, dev, "-C", root)
            return code == 2 and clean_exit(code, err)


@probe("a device as .prelude-cache/cases.json")
def _cache_dev() -> bool:
    with book() as root:
        run("validate", "-C", root)
        special(root / ".prelude-cache" / "cases.json", "zero")
        code, _, err = run("due-reviews", "-C", root, "--as-of", "2026-11-26")
        return clean_exit(code, err)


for _args in (("validate",), ("case", "show", CASE), ("identity", "show", CASE),
              ("identity", "set", CASE, "--name", "X"),
              ("contact", "add", CASE, "--date", "2026-11-20", "--by", "X", "--role",
               "youth-worker-lived-experience", "--method", "in-person", "--purpose",
               "engage-and-explain", "--outcome", "engaged", "--as-of", "2026-11-26"),
              ("report", "case", CASE, "--reveal")):
    @probe(f"a FIFO as identities.yaml: {' '.join(_args[:2])}")
    def _fifo_reg(args: tuple[str, ...] = _args) -> bool:
        with book() as root:
            special(root / "identities.yaml", "fifo")
            code, _, err = run(*args, "-C", root)
            return clean_exit(code, err)


for _rel in (f"cases/{CASE}/plan.yaml", f"cases/{CASE}/exit.yaml",
             f"cases/{CASE}/contacts/2026-11-01-zzzz.yaml"):
    for _kind in ("fifo", "null", "folder"):
        @probe(f"a {_kind} as {_rel.split('/', 2)[2]}")
        def _doc(rel: str = _rel, kind: str = _kind) -> bool:
            with book() as root:
                special(root / rel, kind)
                code, out, _ = run("validate", "-C", root)
                return code == 1 and any(line.startswith(f"{rel}:") and " error " in line
                                         for line in out.splitlines())


for _kind in ("fifo", "null"):
    @probe(f"a {_kind} as casebook.yaml")
    def _settings(kind: str = _kind) -> bool:
        with book() as root:
            special(root / "casebook.yaml", kind)
            code, _, err = run("validate", "-C", root)
            return code == 2 and "no casebook.yaml" not in err and "casebook.yaml" in err


for _leave in (0, 4096, 16384, 65536, 102400):
    for _fmt in ("csv", "jsonl", "sqlite", "xlsx"):
        @probe(f"export {_fmt} on a full disk, {_leave // 1024} KB free")
        def _export_full(fmt: str = _fmt, leave: int = _leave) -> bool:
            with book() as root, small_disk("2m") as disk:
                fill(disk, leave)
                out = disk / ("out" if fmt in ("csv", "jsonl") else f"out.{fmt}")
                code, _, err = run("export", "-C", root, "--format", fmt, "--out", out,
                                   "--as-of", "2026-11-26")
                left = sorted(p.name for p in disk.iterdir())
                if code == 0:
                    return left == sorted(["filler", out.name])
                return code == 1 and left == ["filler"] and clean_exit(code, err) \
                    and len(err.strip().splitlines()) == 1


# A partner output is made under one of the sample's agreements, on a date it is valid.
PARTNER = ("--audience", "partner", "--recipient", "violence-reduction-unit", "--purpose",
           "joint case review", "--as-of", "2026-11-26")


@probe("partner report on a full disk withdraws its disclosure")
def _partner_full() -> bool:
    with book() as root, small_disk() as disk:
        before = tree(root)
        fill(disk, 0)
        code, _, _ = run("report", "case", CASE, "-C", root, "--out", disk / "r.html",
                         *PARTNER, "--by", "X")
        return code == 1 and tree(root) == before


@probe("a disclosure that cannot be written is not exit 2")
def _disclosure_fail() -> bool:
    with book() as root:
        shutil.rmtree(root / "disclosures", ignore_errors=True)
        (root / "disclosures").write_text("in the way")
        code, _, _ = run("report", "case", CASE, "-C", root, *PARTNER, "--by", "X")
        return code == 1


for _args in (("due-reviews", "--as-of", "9999-12-31"), ("report", "case", CASE, "--as-of",
                                                         "9999-12-31"),
              ("due-reviews", "--within", "9999y"), ("due-reviews", "--as-of="),
              ("due-reviews", "--within="),
              ("contact", "add", "OP-" + "A" * 5000, "--date", "2026-11-20", "--by", "X",
               "--role", "youth-worker-lived-experience", "--method", "in-person",
               "--purpose", "engage-and-explain", "--outcome", "engaged")):
    @probe(f"{' '.join(a[:20] for a in _args)}")
    def _edge(args: tuple[str, ...] = _args) -> bool:
        with book() as root:
            code, _, _ = run(*args, "-C", root)
            return code == 2


@probe("a file name with line breaks cannot forge validate's summary")
def _forge() -> bool:
    with book() as root:
        (root / "cases" / CASE / "x\nok: 17 cases, 170 documents, no problems").write_text("")
        _, out, _ = run("validate", "-C", root)
        return not any(line.startswith("ok:") for line in out.splitlines())


for _name in (".identities.yaml.1a2b3c4d.tmp", "identities.yaml.bak"):
    @probe(f"{_name} is reported")
    def _copy(name: str = _name) -> bool:
        with book() as root:
            (root / name).write_text("x: {name: Sam}\n")
            _, out, _ = run("validate", "-C", root)
            return name in out


@probe("a register problem does not quote its value")
def _quote() -> bool:
    with book() as root:
        (root / "identities.yaml").write_text(f"{CASE}:\n  name: Y\n")
        _, out, _ = run("validate", "-C", root)
        return "identities.yaml" in out and "'Y'" not in out


@probe("case new on a full disk leaves no empty case folder")
def _case_new_full() -> bool:
    with small_disk() as disk:
        root = disk / "book"
        shutil.copytree(SAMPLE, root)
        run("validate", "-C", root)
        before = tree(root)
        fill(disk, 0)
        run(*CASE_NEW, "-C", root)
        (disk / "filler").unlink()
        run("validate", "-C", root)
        return tree(root) == before


CASE_NEW = ("case", "new", "--id", "OP-4D7K2P", "--officer", "PC 1", "--area", "Slough",
            "--concern", "knife-crime", "--age-band", "under-18", "--forum", "tasking",
            "--rationale", "Rank.", "--decision", "defer", "--date", "2026-11-01",
            "--as-of", "2026-11-26")


def kill_probe(args: tuple[str, ...], is_after: Callable[[Path], bool]) -> bool:
    """SIGKILL the command at a random moment; after the next command, before or after?"""
    with book() as root:
        run("validate", "-C", root)
        before = tree(root)
        env = {**os.environ, **({"PYTHONPATH": CODE_FROM} if CODE_FROM else {})}
        child = subprocess.Popen([sys.executable, "-m", "prelude_cli", *args, "-C", str(root)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                                 cwd=tempfile.gettempdir())
        time.sleep(random.uniform(0.2, 1.2))
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signal.SIGKILL)
        child.wait()
        run("validate", "-C", root)
        return tree(root) == before or is_after(root)


def _new_after(root: Path) -> bool:
    folder = root / "cases" / "OP-4D7K2P"
    return sorted(p.name for p in folder.iterdir()) == ["case.yaml", "identification.yaml"] \
        if folder.is_dir() else False


def _disposed(root: Path) -> bool:
    """The case gone and exactly one record of today's disposal (the sample holds others)."""
    records = list((root / "disposals").glob("2026-11-26-*.yaml"))
    return not (root / "cases" / CASE).exists() and len(records) == 1


def main() -> int:
    global CODE_FROM
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code-from", help="run the prelude_cli package found in DIR")
    parser.add_argument("--kills", type=int, default=20, help="random SIGKILLs per command")
    parser.add_argument("-k", default="", help="only probes whose name holds this text")
    opts = parser.parse_args()
    CODE_FROM = opts.code_from
    for i in range(opts.kills):
        probe(f"SIGKILL during case new (try {i + 1})")(
            lambda: kill_probe(CASE_NEW, _new_after))
        probe(f"SIGKILL during a disposal (try {i + 1})")(
            lambda: kill_probe(("retention", "review", CASE, "--decision", "dispose",
                                "--reviewer", "Insp 1", "--as-of", "2026-11-26", "--yes"),
                               _disposed))
    held = failed = skipped = 0
    for name, fn in PROBES:
        if opts.k not in name:
            continue
        try:
            ok = fn()
        except Skip:
            skipped += 1
            print(f"skip  {name} (needs root)")
            continue
        held += ok
        failed += not ok
        print(f"{'held' if ok else 'FAIL'}  {name}", flush=True)
    print(f"\n{held + failed + skipped} tries: {held} held, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
