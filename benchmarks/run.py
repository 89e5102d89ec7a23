"""Time prelude's commands on synthetic casebooks, against check-jsonschema on the same files.

    python3 benchmarks/run.py --cases 1000 10000 --repeat 3 \\
        --check-jsonschema cj-venv/bin/check-jsonschema

For each size, a casebook is generated (or reused from --work-dir), the OS file cache is warmed
with one untimed `validate`, then each command runs --repeat times as its own process. Wall time
is the median; peak memory is the largest resident set seen of the process together with its
worker processes (summed from /proc every 20 ms, and at least the process's own peak from
`/usr/bin/time -f %M`); without /proc, the process's own peak from `os.wait4`. Commands this
prelude does not have yet are reported as "n/a (not available)", found by running
`<command> --help`.
The table is printed and written to docs/performance.md with the machine it ran on.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from machine import load_average, machine_lines

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-26"
KINDS = ("casebook", "providers", "case", "identification", "contact", "disruption",
         "assessment", "plan", "exit")
NA = "n/a (not available)"
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"}
ENV.pop("PRELUDE_CASEBOOK", None)
# An installed prelude runs from compiled bytecode (pip compiles it on install); a source tree
# run with bytecode writing off would compile every module in every timed process instead.
ENV.pop("PYTHONDONTWRITEBYTECODE", None)


@dataclass
class Row:
    """One command at one size: its timings, or why it has none."""

    label: str
    cases: int
    walls: list[float] = field(default_factory=list)
    peaks_kb: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def wall(self) -> float | None:
        return statistics.median(self.walls) if self.walls else None

    @property
    def peak_mb(self) -> float | None:
        return max(self.peaks_kb) / 1024 if self.peaks_kb else None


# --- running one process -----------------------------------------------------------------
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def timed(argv: Sequence[str], cwd: Path) -> tuple[float, int, int, str]:
    """Run once: (wall seconds, peak RSS in KB, exit code, the end of stderr).

    The peak counts the worker processes too: where /proc is there, the resident sets of the
    process and all its descendants are summed every 20 ms and the largest sum kept (at least
    the process's own peak from GNU time). Elsewhere it is the process's own peak only.
    """
    with tempfile.TemporaryDirectory() as tmp:
        err_path, mem_path = Path(tmp, "stderr"), Path(tmp, "maxrss")
        full = [GNU_TIME, "-f", "%M", "-o", str(mem_path), *argv] if GNU_TIME else list(argv)
        with open(err_path, "wb") as err:
            started = time.perf_counter()
            proc = subprocess.Popen(full, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                                    stderr=err)
            tree_peak = own_peak = 0
            if PROC.is_dir():
                while proc.poll() is None:
                    tree_peak = max(tree_peak, tree_rss_kb(proc.pid))
                    time.sleep(0.02)
            else:  # the child's own rusage (RUSAGE_CHILDREN would keep the largest child ever)
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                own_peak = usage.ru_maxrss
            wall = time.perf_counter() - started
        peak = own_peak
        if GNU_TIME and mem_path.exists():
            text = mem_path.read_text().strip().splitlines()
            peak = int(text[-1]) if text and text[-1].isdigit() else 0
        tail = err_path.read_bytes()[-400:].decode("utf-8", "replace").strip()
    return wall, max(peak, tree_peak), proc.returncode, tail  # type: ignore[return-value]


PROC = Path("/proc")


def tree_rss_kb(root: int) -> int:
    """Resident set of a process and all its descendants, in KB (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue  # ended meanwhile
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        parents[pid] = int(fields.get("PPid", "0").strip() or 0)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, frontier = 0, [root]
    while frontier:
        pid = frontier.pop()
        total += rss.get(pid, 0)
        frontier += [child for child, parent in parents.items() if parent == pid]
    return total


def help_text(prelude: list[str], words: Sequence[str]) -> str | None:
    """The --help of a prelude command, or None when the command does not exist."""
    proc = subprocess.run([*prelude, *words, "--help"], cwd=ROOT, env=ENV, capture_output=True,
                          text=True)
    return proc.stdout if proc.returncode == 0 else None


# --- the commands measured ------------------------------------------------------------------
@dataclass
class Command:
    label: str
    argv: list[str] | None  # None: not available
    warm: bool = False  # one untimed run first
    note: str = ""
    cleanup: Path | None = None  # removed before each run (an export's output)


def prelude_commands(prelude: list[str], book: Path, work: Path) -> list[Command]:
    """The prelude commands of the benchmark, each checked against this prelude's --help:
    every reading command cold (`--no-cache`, where it has one) and warm."""
    book_args = ["-C", str(book)]
    target = work / f"export-{book.name}.sqlite"
    first_case = min((p.name for p in (book / "cases").iterdir() if p.is_dir()), default="")
    specs = [
        # label, words, extra arguments
        ("validate", ["validate"], []),
        ("due-reviews", ["due-reviews"], []),
        ("case list", ["case", "list"], []),
        ("case list --format csv", ["case", "list"], ["--format", "csv"]),
        ("report programme", ["report", "programme"], []),
        ("export --format sqlite", ["export"], ["--format", "sqlite", "--out", str(target),
                                                "--force"]),
        ("meeting pack", ["meeting", "pack"], ["--forum", "Slough Serious Violence tasking",
                                               "--date", "2026-12-03", "--next", "2027-01-07"]),
    ]
    out: list[Command] = []
    for label, words, extra in specs:
        text = help_text(prelude, words)
        if text is None or any(a.startswith("--") and a not in text for a in extra):
            out += [Command(f"prelude {label} --no-cache", None),
                    Command(f"prelude {label} (warm)", None)]
            continue
        argv = [*prelude, *words, *book_args, *(["--as-of", AS_OF] if "--as-of" in text
                                                 else []), *extra]
        has_cache = "--no-cache" in text
        note = "" if has_cache else "no cache in this prelude: every run reads everything"
        out.append(Command(f"prelude {label} --no-cache", [*argv, "--no-cache"] if has_cache
                           else argv, note=note, cleanup=target if "export" in words else None))
        out.append(Command(f"prelude {label} (warm)", argv, warm=True, note=note,
                           cleanup=target if "export" in words else None))
    show = help_text(prelude, ["case", "show"])
    out.append(Command("prelude case show (warm)",
                       [*prelude, "case", "show", first_case, *book_args, "--as-of", AS_OF]
                       if show and first_case else None, warm=True))
    return out


SERVE_PAGES = (("prelude serve: due list (warm)", "/due"),
               ("prelude serve: case page (warm)", "/cases/{first_case}"))


def measure_serve(prelude: list[str], book: Path, cases: int, repeat: int) -> list[Row]:
    """`prelude serve`'s due list and a case page, as a browser asks for them: one server
    process, a cookie from its printed URL, one untimed request per page (warm), then
    `repeat` timed requests. Peak memory is the server's with its workers, after the runs."""
    rows = [Row(label, cases) for label, _ in SERVE_PAGES]
    if help_text(prelude, ["serve"]) is None:
        for row in rows:
            row.note = NA
        return rows
    import http.cookiejar
    import urllib.request

    first_case = min((p.name for p in (book / "cases").iterdir() if p.is_dir()), default="")
    proc = subprocess.Popen([*prelude, "serve", "-C", str(book), "--as-of", AS_OF, "--no-open",
                             "--port", "0"], cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        url = ""
        for line in proc.stdout:  # type: ignore[union-attr]
            if line.startswith("Open:"):
                url = line.split()[1]
                break
        if not url:
            for row in rows:
                row.note = f"failed: the server did not start (exit {proc.poll()})"
            return rows
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        opener.open(url, timeout=600).read()  # the token for the cookie
        base = url.split("/?", 1)[0]
        for row, (_, path) in zip(rows, SERVE_PAGES, strict=True):
            target = base + path.format(first_case=first_case)
            opener.open(target, timeout=600).read()  # warm
            for _ in range(repeat):
                started = time.perf_counter()
                with opener.open(target, timeout=600) as response:
                    response.read()
                    ok = response.status == 200
                row.walls.append(time.perf_counter() - started)
                if not ok:
                    row.note = f"failed: status {response.status}"
            row.peaks_kb.append(tree_rss_kb(proc.pid) if PROC.is_dir() else 0)
            row.note = row.note or "one request over HTTP to a running server"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return rows


def documents_by_kind(book: Path) -> dict[str, list[str]]:
    """Casebook-relative paths of every document, by kind, from where each sits."""
    found: dict[str, list[str]] = {k: [] for k in KINDS}
    found["casebook"].append("casebook.yaml")
    if (book / "providers.yaml").exists():
        found["providers"].append("providers.yaml")
    singles = {"case.yaml": "case", "identification.yaml": "identification",
               "disruption.yaml": "disruption", "plan.yaml": "plan", "exit.yaml": "exit"}
    multis = {"contacts": "contact", "assessments": "assessment"}
    for case in sorted(os.scandir(book / "cases"), key=lambda e: e.name):
        for entry in sorted(os.scandir(case.path), key=lambda e: e.name):
            if entry.name in singles:
                found[singles[entry.name]].append(f"cases/{case.name}/{entry.name}")
            elif entry.name in multis:
                found[multis[entry.name]] += [f"cases/{case.name}/{entry.name}/{n}"
                                              for n in sorted(os.listdir(entry.path))]
    return found


def chunks(paths: list[str], budget: int) -> list[list[str]]:
    """Split a file list so no command line exceeds `budget` characters."""
    out: list[list[str]] = [[]]
    size = 0
    for p in paths:
        if out[-1] and size + len(p) + 1 > budget:
            out.append([])
            size = 0
        out[-1].append(p)
        size += len(p) + 1
    return out


def run_check_jsonschema(binary: str, book: Path, repeat: int, row: Row) -> None:
    """One run per document kind (in chunks if need be); a repeat's wall time is the sum."""
    by_kind = documents_by_kind(book)
    budget = min(os.sysconf("SC_ARG_MAX") // 2, 1_000_000) if hasattr(os, "sysconf") else 30_000
    calls = [[binary, "--schemafile", str(ROOT / "schemas" / f"{kind}.schema.json"), *part]
             for kind in KINDS if by_kind[kind] for part in chunks(by_kind[kind], budget)]
    row.note = f"{len(calls)} processes: one per kind, file lists in chunks"
    for _ in range(repeat):
        total, peak = 0.0, 0
        for argv in calls:
            wall, kb, code, tail = timed(argv, book)
            if code != 0:
                row.note = f"failed (exit {code}): {tail.splitlines()[-1] if tail else ''}"
                return
            total += wall
            peak = max(peak, kb)
        row.walls.append(total)
        row.peaks_kb.append(peak)


# --- generating or reusing the casebooks ----------------------------------------------------
def casebook_for(work: Path, cases: int, seed: int) -> tuple[Path, str]:
    """The casebook of that size and seed under `work`, generated unless already there;
    and a line saying what it holds."""
    book = work / f"casebook-{cases}-seed{seed}"
    how = "reused"
    if not (book / "casebook.yaml").exists():
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--quiet",
                        "--cases", str(cases), "--seed", str(seed), str(book)], check=True)
        how = f"generated in {time.perf_counter() - started:.1f} s"
    by_kind = documents_by_kind(book)
    count = sum(len(v) for v in by_kind.values())
    size = sum((book / p).stat().st_size for v in by_kind.values() for p in v)
    kinds = ", ".join(f"{len(by_kind[k]):,} {k}" for k in KINDS)
    return book, (f"{cases:,} cases, seed {seed}: {count:,} documents, {size / 1e6:.1f} MB "
                  f"({kinds}); {how}")


def measure(cmd: Command, cases: int, book: Path, repeat: int) -> Row:
    row = Row(cmd.label, cases, note=cmd.note)
    if cmd.argv is None:
        row.note = NA
        return row
    if cmd.warm:
        timed(cmd.argv, ROOT)
    for _ in range(repeat):
        if cmd.cleanup and cmd.cleanup.exists():
            cmd.cleanup.unlink()
        wall, kb, code, tail = timed(cmd.argv, ROOT)
        if code not in (0, 1) or (code == 1 and "validate" not in cmd.label):
            row.note = f"failed (exit {code}): {tail.splitlines()[-1] if tail else ''}"
            row.walls, row.peaks_kb = [], []
            return row
        if code == 1:
            row.note = "exit 1: the casebook has errors"
        row.walls.append(wall)
        row.peaks_kb.append(kb)
    return row


# --- output -------------------------------------------------------------------------------
def table(rows: list[Row]) -> list[str]:
    """A Markdown table, with each command's wall time as a multiple of check-jsonschema's."""
    baseline = {r.cases: r.wall for r in rows if r.label.startswith("check-jsonschema")}
    lines = ["| command | cases | median wall (s) | peak RSS (MB) | speed-up vs check-jsonschema "
             "| note |",
             "|---|---:|---:|---:|---:|---|"]
    for r in rows:
        base = baseline.get(r.cases)
        wall = "n/a" if r.wall is None else f"{r.wall:.2f}"
        peak = "n/a" if r.peak_mb is None else f"{r.peak_mb:.0f}"
        ratio = f"{base / r.wall:.1f}x" if r.wall and base else "-"
        lines.append(f"| {r.label} | {r.cases:,} | {wall} | {peak} | {ratio} | {r.note} |")
    return lines


def targets(rows: list[Row]) -> list[str]:
    """The scale issue's targets, each judged from this run's rows alone (none when the run
    lacks what a target needs: a size, or check-jsonschema)."""
    wall = {(r.label, r.cases): r.wall for r in rows if r.wall}
    peaks = [r.peak_mb for r in rows if r.peak_mb and r.label.startswith("prelude")]
    cj = "check-jsonschema (all kinds)"
    out: list[tuple[str, str, bool]] = []

    def speed_up(label: str, cases: int, times: float) -> None:
        ours, theirs = wall.get((label, cases)), wall.get((cj, cases))
        if ours and theirs:
            out.append((f"{cases:,} cases: `{label.removeprefix('prelude ')}` at least "
                        f"{times:g}x faster than check-jsonschema",
                        f"{theirs / ours:.1f}x ({ours:.2f} s against {theirs:.2f} s)",
                        theirs / ours >= times))

    def under(label: str, cases: int, seconds: float) -> None:
        ours = wall.get((label, cases))
        if ours:
            out.append((f"{cases:,} cases: `{label.removeprefix('prelude ')}` at most "
                        f"{seconds:g} s", f"{ours:.2f} s", ours <= seconds))

    speed_up("prelude validate --no-cache", 10000, 30)
    under("prelude validate (warm)", 10000, 2)
    under("prelude due-reviews (warm)", 10000, 1.5)
    under("prelude case list (warm)", 10000, 1.5)
    under("prelude case show (warm)", 10000, 0.5)
    under("prelude report programme (warm)", 10000, 2)
    under("prelude serve: due list (warm)", 10000, 0.5)
    under("prelude serve: case page (warm)", 10000, 0.5)
    under("prelude export --format sqlite (warm)", 10000, 4)
    speed_up("prelude validate --no-cache", 1000, 20)
    speed_up("prelude validate (warm)", 1000, 60)
    if peaks:
        out.append(("peak memory of every prelude command under 300 MB",
                    f"{max(peaks):.0f} MB at most", max(peaks) < 300))
    small, large = (wall.get(("prelude validate --no-cache", n)) for n in (1000, 10000))
    if small and large:
        # Start-up is a fixed cost, so linear time shows as at most ten times for ten times
        # the cases; a tenth more is allowed for the noise of a shared machine.
        out.append(("time linear in the number of cases (`validate --no-cache`, 1,000 to "
                    "10,000 cases: at most 11x)", f"{large / small:.1f}x ({small:.2f} s to "
                    f"{large:.2f} s)", large / small <= 11))
    if not out:
        return []
    return ["## Targets (issues: scale, one read path)", "", "| target | measured | met |",
            "|---|---|---|",
            *[f"| {t} | {m} | {'yes' if ok else 'no'} |" for t, m, ok in out], ""]


NOTES = "## Notes"


def write_doc(path: Path, rows: list[Row], generated: list[str], machine: list[str],
              command: str, repeat: int, baseline_repeat: int) -> None:
    """Write the report; a hand-written section from `## Notes` on survives a re-run."""
    kept = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if f"\n{NOTES}\n" in old:
            kept = old[old.index(f"\n{NOTES}\n") + 1:]
    text = "\n".join([
        "# Performance",
        "",
        "Measured by `benchmarks/run.py` on synthetic casebooks from `benchmarks/generate.py`;",
        "the figures below are from one real run, not estimates. Re-run to measure your machine.",
        "",
        "## Results",
        "",
        *table(rows),
        "",
        f"Median of {repeat} runs per command, each a fresh process (start-up included); "
        f"check-jsonschema: median of {baseline_repeat} run{'s' if baseline_repeat > 1 else ''}"
        ". Peak",
        "RSS is the largest resident set of any run, worker processes included (for",
        "check-jsonschema, of any of its processes). `speed-up vs check-jsonschema` is",
        "check-jsonschema's median wall time at the same size divided by the command's.",
        "check-jsonschema only checks each file against its schema; `prelude validate` also",
        "enforces the strict YAML subset and the cross-document rules, and reports line",
        "numbers.",
        "",
        "## Casebooks",
        "",
        *[f"- {g}" for g in generated],
        "",
        "## Machine",
        "",
        *[f"- {m}" for m in machine],
        "",
        "## Method",
        "",
        "- Each size's casebook is generated once (`generate.py --seed 1`), then one untimed",
        "  `prelude validate` warms the operating system's file cache, so every command reads",
        "  from memory rather than disk.",
        "- Wall time: `time.perf_counter()` around each process. Peak memory: the resident sets",
        "  of the process and all its worker processes, summed from `/proc` every 20 ms, and at",
        "  least the process's own peak from GNU `/usr/bin/time -f %M`; without `/proc`, the",
        "  process's own peak from `os.wait4`.",
        "- Run from the source tree, prelude's modules are compiled to bytecode first, as",
        "  `pip install` does, so no timed run compiles them.",
        "- Warm rows run the command once, untimed, before the timed runs; cold rows pass",
        "  `--no-cache`. Commands not yet in this prelude show `n/a (not available)`.",
        "- `prelude serve` rows time one HTTP request to one running server (started once,",
        "  signed in with its printed URL, each page asked for once untimed first); their",
        "  peak memory is the server's, after its requests.",
        "- check-jsonschema runs once per document kind with",
        "  `--schemafile schemas/<kind>.schema.json` and that kind's files (in chunks below the",
        "  command-line limit); the wall times of a repeat's processes are summed.",
        "- Timings on a shared or virtual machine vary from run to run; compare rows of one run.",
        "",
        "## Reproduce",
        "",
        "From the repository's root, with a Python that has prelude's dependencies (`pip",
        "install .`; or name an installed `prelude` with `--prelude`). The run rewrites this",
        "file (`--no-write` only prints, `--output FILE` writes elsewhere); check-jsonschema",
        "alone takes about 7 minutes per repeat at 10,000 cases.",
        "",
        "```sh",
        "python3 -m venv cj-venv && cj-venv/bin/pip install check-jsonschema",
        command,
        "```",
        "",
        *targets(rows),
    ])
    path.write_text(text + ("\n" + kept if kept else ""), encoding="utf-8", newline="\n")


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=positive, nargs="+", default=[1000, 10000],
                        help="casebook sizes to measure (default: 1000 10000)")
    parser.add_argument("--repeat", type=positive, default=3,
                        help="timed runs per command; the median is reported (default: 3)")
    parser.add_argument("--baseline-repeat", type=positive, default=None,
                        help="timed runs of check-jsonschema, which takes minutes at 10,000 "
                             "cases (default: as --repeat)")
    parser.add_argument("--seed", type=int, default=1,
                        help="seed of the generated casebooks (default: 1)")
    parser.add_argument("--skip-check-jsonschema", action="store_true",
                        help="do not run check-jsonschema (no speed-ups, no targets judged)")
    parser.add_argument("--check-jsonschema", default="check-jsonschema",
                        help="check-jsonschema to compare with (default: the one on PATH)")
    parser.add_argument("--prelude", default=None,
                        help='how to run prelude, e.g. "prelude" (default: this Python -m '
                             "prelude_cli, from the source tree)")
    parser.add_argument("--work-dir", type=Path, default=None,
                        help="keep and reuse the casebooks here (default: a temporary folder)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md",
                        help="Markdown file to write (default docs/performance.md)")
    parser.add_argument("--no-write", action="store_true", help="only print the table")
    args = parser.parse_args(argv)
    prelude = shlex.split(args.prelude) if args.prelude else [sys.executable, "-m", "prelude_cli"]
    if not args.prelude:  # as `pip install` does: no timed run compiles prelude's modules
        compileall.compile_dir(ROOT / "prelude_cli", quiet=1)
    if args.prelude and os.sep in prelude[0]:  # a path from here: runs happen in other folders
        prelude[0] = str(Path(prelude[0]).resolve())
    started = subprocess.run([*prelude, "--version"], cwd=ROOT, env=ENV, capture_output=True,
                             text=True, check=False) if shutil.which(prelude[0]) else None
    if started is None or started.returncode != 0:
        why = (started.stderr.strip().splitlines() or ["no output"])[-1] if started else \
            f"{prelude[0]}: not found"
        parser.error(f"prelude does not start ({why}); install its dependencies "
                     "(pip install .) or give --prelude")
    cjs = None if args.skip_check_jsonschema else shutil.which(args.check_jsonschema)
    if not args.skip_check_jsonschema and cjs is None:
        parser.error(f"check-jsonschema not found: {args.check_jsonschema} "
                     "(give --check-jsonschema PATH or --skip-check-jsonschema)")
    baseline_repeat = args.baseline_repeat or args.repeat
    load_at_start = load_average()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="prelude-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    generated: list[str] = []
    try:
        for cases in args.cases:
            book, made = casebook_for(work, cases, args.seed)
            generated.append(made)
            print(f"== {made}", flush=True)
            timed([*prelude, "validate", "-C", str(book), "--as-of", AS_OF], ROOT)
            for cmd in prelude_commands(prelude, book, work):
                rows.append(measure(cmd, cases, book, args.repeat))
                print("\n".join(table([rows[-1]])[2:]), flush=True)
            for row in measure_serve(prelude, book, cases, args.repeat):
                rows.append(row)
                print("\n".join(table([row])[2:]), flush=True)
            row = Row("check-jsonschema (all kinds)", cases)
            if cjs:
                run_check_jsonschema(cjs, book, baseline_repeat, row)
            else:
                row.note = "skipped"
            rows.append(row)
            print("\n".join(table([row])[2:]), flush=True)
    finally:
        if args.work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    print("\n".join(table(rows)))
    print("\n".join(targets(rows)))
    if not args.no_write:
        shown = ["python3 benchmarks/run.py", "--cases", *map(str, args.cases),
                 "--repeat", str(args.repeat)]
        if baseline_repeat != args.repeat:
            shown += ["--baseline-repeat", str(baseline_repeat)]
        if args.seed != 1:
            shown += ["--seed", str(args.seed)]
        if args.prelude:
            shown += ["--prelude", shlex.quote(args.prelude)]
        shown += (["--skip-check-jsonschema"] if args.skip_check_jsonschema
                  else ["--check-jsonschema", "cj-venv/bin/check-jsonschema"])
        machine = machine_lines(prelude, cjs, platform.python_version(), load_at_start)
        write_doc(args.output, rows, generated, machine, " ".join(shown), args.repeat,
                  baseline_repeat)
        print(f"wrote {args.output.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
