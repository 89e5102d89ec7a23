"""Run the property tests with many examples, and print how many of each ran.

    python3 tests/fuzz/run_fuzz.py --examples 20000

The properties are those of tests/unit/test_properties.py (same strategies and checks); the
suite runs them with a few dozen examples, this script with as many as asked. It uses no
example database, so each run explores afresh; --seed makes a run repeatable. Exit 1 when a
property fails, with hypothesis's minimal failing example.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent / "unit")]  # prelude_cli, the properties

import test_properties as props  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def counted(check: Callable[..., None], counts: dict[str, int], name: str
            ) -> Callable[..., None]:
    def run(*args: Any) -> None:
        counts[name] += 1
        check(*args)
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000,
                        help="examples per property (default 2000)")
    parser.add_argument("--seed", type=int, default=None, help="make the run repeatable")
    args = parser.parse_args(argv)
    counts: dict[str, int] = {}
    many = settings(max_examples=args.examples, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
    picks = st.lists(st.booleans(), min_size=1, max_size=7)

    def edit(kind: str, data: dict[str, Any], p: list[bool], text: str) -> None:
        props.check_valid_document_survives_an_edit(kind, data, p, text)

    plan = {
        "valid document + comments survives an edit":
            (lambda f: given(props.documents(), picks, props.line())(
                lambda d, p, t: f(*d, p, t)), edit),
        "valid document with long lines survives an edit":
            (lambda f: given(props.documents(400), st.just([False]), props.line(400))(
                lambda d, p, t: f(*d, p, t)), edit),
        "canonical keeps the data and is idempotent":
            (lambda f: given(props.documents(), picks)(lambda d, p: f(*d, p)),
             props.check_canonical_is_idempotent),
        "reading never raises; fast and reference agree":
            (lambda f: given(props.INPUTS)(lambda raw: f(raw)), props.check_reading_never_raises),
    }
    failed = 0
    for name, (wrap, check) in plan.items():
        counts[name] = 0
        test = many(wrap(counted(check, counts, name)))
        if args.seed is not None:
            test = seed(args.seed)(test)
        start = time.perf_counter()
        try:
            test()
            status = "ok"
        except Exception as exc:  # noqa: BLE001 - report every property, then fail
            failed += 1
            status = f"FAILED: {type(exc).__name__}: {str(exc).strip()[:2000]}"
        print(f"{counts[name]:>7} examples  {time.perf_counter() - start:7.1f} s  {name}: "
              f"{status}", flush=True)
    print(f"{sum(counts.values())} examples in all; {failed} propert{'y' if failed == 1 else 'ies'}"
          " failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
