"""``cuadra bench NAME [ARGS...]``: run ``bench/NAME.py``'s ``main(argv)``.

Benchmarks live outside the package (DESIGN.md "Layout"), so they are loaded by file path
from the project root. They print figures and never assert timings.
"""

from __future__ import annotations

import argparse
import importlib.util
import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def bench_dir():
    return settings.PROJECT_DIR / "bench"


class Command(BaseCommand):
    help = "Run a benchmark from bench/ (prints figures; never asserts timings)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="benchmark name: bench/<name>.py")
        parser.add_argument("bench_args", nargs=argparse.REMAINDER,
                            help="arguments passed to the benchmark's main(argv)")

    def handle(self, *args, name: str, bench_args: list[str], **options):
        available = sorted(p.stem for p in bench_dir().glob("*.py") if not p.stem.startswith("_"))
        path = bench_dir() / f"{name}.py"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or not path.is_file():
            raise CommandError(f"No benchmark {name!r}; available: {', '.join(available)}")
        spec = importlib.util.spec_from_file_location(f"cuadra_bench_{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        status = module.main(list(bench_args))
        if status:
            raise CommandError(f"benchmark {name} exited with status {status}")
