"""What a cold one-edition build imports, and what each package costs, against the
hand-written ReportLab script: `python -X importtime`, several runs, smallest time kept.

    python -m benchmarks.imports              # 7 runs each, packages by cost
    python -m benchmarks.imports --runs 9 --top 40 --modules

Each command of `engines.cold_commands` runs ``--runs`` times under ``-X importtime``
(with bytecode written, as an installed package has it). For every module the smallest
self time over the runs is kept (the machine is shared: the smallest is the least
disturbed), and the modules are summed by top-level package. ``--modules`` also lists
the costliest single modules.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.engines import COLD_ENV, ROOT, cold_commands

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def smallest_self_times(command: list[str], runs: int) -> dict[str, int]:
    """Module → its smallest self time in microseconds over *runs* runs of *command*."""
    best: dict[str, int] = {}
    for _ in range(runs):
        err = subprocess.run([command[0], "-X", "importtime", *command[1:]], cwd=ROOT,
                             env=COLD_ENV, capture_output=True, text=True, check=True).stderr
        for match in _LINE.finditer(err):
            name, own = match.group(4), int(match.group(1))
            best[name] = min(best.get(name, own), own)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--top", type=int, default=20, help="packages (and modules) listed")
    parser.add_argument("--modules", action="store_true", help="list single modules too")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        commands = cold_commands(Path(tmp))
        for engine in ("brochure", "reportlab"):
            subprocess.run(commands[engine], cwd=ROOT, env=COLD_ENV, check=True,
                           capture_output=True)  # bytecode and user caches made
            best = smallest_self_times(commands[engine], args.runs)
            packages: collections.Counter[str] = collections.Counter()
            for name, own in best.items():
                packages[name.split(".")[0]] += own
            print(f"\n{engine}: {sum(best.values()) / 1000:.1f} ms in {len(best)} modules "
                  f"(sum of each module's smallest self time, {args.runs} runs)")
            for package, own in packages.most_common(args.top):
                print(f"  {package:<28} {own / 1000:7.1f} ms")
            if args.modules:
                print("  costliest modules:")
                for name, own in sorted(best.items(), key=lambda kv: -kv[1])[:args.top]:
                    print(f"    {name:<40} {own / 1000:7.2f} ms")
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
