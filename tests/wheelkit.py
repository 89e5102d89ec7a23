"""Building prelude's wheel and installing it into a fresh virtual environment, offline.

The wheel is built from this working tree without build isolation (the build backend is in the
test extras), so no package index is needed. The fresh environment sees the test run's own
site-packages for prelude's dependencies (through a `.pth` line, which adds a folder to the
path without running the `.pth` files inside it, so the test run's own prelude stays out) and
installs nothing but the wheel into its own site-packages, which comes first on its path.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = "Scripts" if os.name == "nt" else "bin"


def build_wheel(dest: Path) -> Path:
    """Build prelude's wheel from this working tree into `dest`; returns its path."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(dest), str(ROOT)],
                   check=True, capture_output=True, text=True, timeout=300)
    (wheel,) = dest.glob("prelude_casebook-*.whl")
    return wheel


def fresh_env(folder: Path) -> dict[str, str]:
    """A new virtual environment in `folder` (no pip of its own, no prelude), and the process
    environment that runs in it: its bin folder first on PATH, pip told to install only what it
    is given and to look at no package index."""
    venv.EnvBuilder(with_pip=False).create(folder)
    ask = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = subprocess.run([str(folder / BIN / "python"), "-c", ask], check=True,
                             capture_output=True, text=True).stdout.strip()
    ours = [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
    Path(purelib, "_test_dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PRELUDE_", "PYTHON", "PIP_"))}
    env.update({"PATH": f"{folder / BIN}{os.pathsep}{env.get('PATH', '')}",
                "VIRTUAL_ENV": str(folder), "NO_COLOR": "1", "PIP_NO_DEPS": "1",
                "PIP_NO_INDEX": "1", "PIP_IGNORE_INSTALLED": "1",
                "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return env


def run(cmd: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """One shell command, as a CI runner's shell would run it."""
    return subprocess.run(["bash", "-e", "-c", cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
