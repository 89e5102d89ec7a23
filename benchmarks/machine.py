"""What a benchmark ran on: CPU, cores, memory, Python, prelude, libyaml, check-jsonschema.

Figures mean little without the machine; this gathers what can be read without extra packages
and never records a path of the machine.
"""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _output(argv: list[str]) -> str:
    """A command's first line of output, or '' when it cannot run."""
    try:
        proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (proc.stdout.strip() or proc.stderr.strip()).splitlines()[0] if proc.returncode == 0 \
        and (proc.stdout.strip() or proc.stderr.strip()) else ""


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "unknown"


def load_average() -> str:
    """The 1, 5 and 15 minute load: other work on the machine slows every figure."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def machine_lines(prelude: list[str], cjs: str | None, python_version: str,
                  load_at_start: str) -> list[str]:
    """One line per fact, for the Markdown report."""
    lines = [
        f"CPU: {cpu_model()}, {os.cpu_count()} logical cores",
        f"Memory: {memory_gb()}",
        f"OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"Load average (1, 5, 15 min) at the start: {load_at_start}; at the end: "
        f"{load_average()}",
    ]
    is_python = Path(prelude[0]).name.startswith("python")
    if is_python:
        version = _output([prelude[0], "-c", "import platform; print(platform.python_version())"])
        lines.append(f"Python: {version or python_version}")
        probe = ("import yaml; from prelude_cli.files.yamlio import HAVE_LIBYAML; "
                 "print(f'PyYAML {yaml.__version__}, libyaml C parser '"
                 "+ ('active' if HAVE_LIBYAML else 'NOT active'))")
        lines.append(f"YAML: {_output([prelude[0], '-c', probe]) or 'unknown'}")
    else:
        lines.append(f"Python (of the benchmark script): {python_version}")
    lines.append(f"prelude: {_output([*prelude, '--version']) or 'unknown'}"
                 + (" (run as `python -m prelude_cli` from the source tree)" if is_python else ""))
    if cjs:
        lines.append(f"check-jsonschema: {_output([cjs, '--version']) or 'unknown'}")
        sibling = Path(cjs).parent / "python"
        if sibling.exists():
            probe = ("import importlib.util, ruamel.yaml; print(f'ruamel.yaml "
                     "{ruamel.yaml.__version__}, C extension ' + ('present' if "
                     "importlib.util.find_spec('_ruamel_yaml') else 'absent (pure Python)'))")
            lines.append(f"check-jsonschema's YAML: {_output([str(sibling), '-c', probe])}")
    return lines
