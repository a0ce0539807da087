"""Run every benchmark, one after another, each in its own process so peak memory is its own.

Run: .venv/bin/python -m benchmarks   (or `make bench`)
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = ("scanner_bench", "triage_check", "watch_bench", "export_bench")


def main() -> int:
    failed = 0
    for name in BENCHMARKS:
        print(f"\n=== benchmarks.{name} ===", flush=True)
        failed += subprocess.call([sys.executable, "-m", f"benchmarks.{name}"]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
