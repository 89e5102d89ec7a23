"""Read and check cases in one process, as the workers of a cold run do: for counting
instructions, where timing is too noisy to see a change of a few per cent.

A shared machine's wall and CPU times vary by a fifth or more from one run to the next;
the number of instructions a process executes hardly varies at all. Under valgrind's
callgrind (about 50 times slower), the difference between two counts is the cost of the
cases read between them:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python3 benchmarks/percase.py CASEBOOK --cases 0
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python3 benchmarks/percase.py CASEBOOK --cases 100

Set PYTHONHASHSEED=0 for both. The first case is read once before the count starts, so
that imports and compiled schemas made on first use fall in the start-up. See
docs/performance.md, "Counting instructions".
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prelude_cli.book.casebook import open_casebook  # noqa: E402
from prelude_cli.read import engine  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("casebook", type=Path, help="a casebook (benchmarks/generate.py)")
    parser.add_argument("--cases", type=int, default=100,
                        help="how many cases to read after the first (default: 100)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 12, 1),
                        help="as-of date, YYYY-MM-DD (default: 2026-12-01)")
    parser.add_argument("--due", action="store_true",
                        help="work out due items too, as due-reviews does (validate "
                             "--no-cache does not)")
    args = parser.parse_args(argv)
    book = open_casebook(args.casebook)
    ids = list(book.case_ids())
    if not ids:
        parser.error(f"{args.casebook} holds no cases")
    # Older prelude always worked out due items: the same script counts its commits too.
    extra = {"due": args.due} if "due" in {f.name for f in dataclasses.fields(engine.Job)} \
        else {}
    job = engine.Job(book.root, book.settings, book.providers,
                     args.as_of, True, book.identities, **extra)
    engine.summarise(job, (ids[0], ""))
    gc.freeze()  # as a worker starts: what it inherits is out of the collector's sight
    picked = ids[:args.cases]
    started = time.process_time()
    problems = sum(len(engine.summarise(job, (case_id, "")).problems) for case_id in picked)
    cpu = time.process_time() - started
    print(f"{len(picked)} cases read, {problems} problems, {cpu:.3f} s of CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
