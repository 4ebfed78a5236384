"""Shared helpers of the benchmarks: Django setup from the environment, machine facts, and writing one
section of bench/results.md (each benchmark owns the section between its markers and leaves the others)."""

from __future__ import annotations

import datetime
import os
import platform
import re
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.md"
PYTHON = ROOT / ".venv" / "bin" / "python"


def setup_django(**env: str) -> None:
    """Configure Django from the environment (DATABASE_URL etc.); bench defaults: DEBUG on (no SECRET_KEY
    needed) unless the caller set DEBUG."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    for key, value in env.items():
        os.environ.setdefault(key, value)
    import django

    django.setup()


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem_gb = f"{kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.node()} · {os.cpu_count()} CPU ({cpu}) · {mem_gb} · {platform.system()} "
        f"{platform.release()} · Python {platform.python_version()}"
    )


def load_average() -> str:
    """The 1-minute load average and the core count: on a shared machine, read every figure against it."""
    try:
        one = os.getloadavg()[0]
    except OSError:
        return "unknown"
    return f"{one:.1f} on {os.cpu_count()} cores"


def load_averages() -> str:
    """The 1, 5 and 15 minute load averages ("2.01 / 2.47 / 3.62"), printed with each figure."""
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def now_utc() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


HEADER = """# Benchmark results

Written by the scripts in `bench/` (see `bench/README.md`); each section says when and on which machine it
was measured. Re-run a script to replace its section.
"""


def write_section(name: str, title: str, body: str) -> None:
    """Replace (or append) the section `name` of bench/results.md."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    section = (
        f"<!-- section:{name} -->\n## {title}\n\n_Measured {now_utc()} on {machine()}; load average "
        f"at the end: {load_average()}._\n\n"
        f"{body.strip()}\n<!-- /section:{name} -->\n"
    )
    pattern = re.compile(
        rf"<!-- section:{re.escape(name)} -->.*?<!-- /section:{re.escape(name)} -->\n?", re.S
    )
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
