"""The Dask path against the local pool: 200 editions on 2 workers each way.

    python -m benchmarks.cluster                  # 200 editions, 3 rounds
    python -m benchmarks.cluster --editions 48 --rounds 1

Each round runs, one after the other (so a busy moment of a shared machine weighs on
all of them alike), the same plan of N editions (kratom × en, es × both layouts × N/4
generated clinics) with ``--force``:

- ``-j 2``: the local pool of two worker processes;
- ``--cluster local:2``: a `LocalCluster` of two worker processes started by the
  command (its start-up included);
- ``--cluster tcp://…``: a running cluster of two worker processes (one thread each)
  started once by this script, so only the per-edition cost of the Dask path shows.

Every command is a child process timed from start to exit. The overhead per edition is
(cluster wall time − pool wall time) / N, and the ratio cluster ÷ pool is given per round.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
from pathlib import Path

from benchmarks.run import CLI, Timed, project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editions", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from distributed import LocalCluster

    from brochure.batch.cluster import LOCAL_QUIET

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           silence_logs=logging.ERROR, **LOCAL_QUIET)
    ratios: dict[str, list[float]] = {"local:2": [], "tcp": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            plan = project(folder, args.editions)
            Timed([*CLI, "batch", str(plan), "-j", "2"], folder)  # warm the disk cache
            for round_ in range(1, args.rounds + 1):
                load = os.getloadavg()[0]
                runs = {
                    "-j 2": Timed([*CLI, "batch", str(plan), "-j", "2", "--force"], folder),
                    "local:2": Timed([*CLI, "batch", str(plan), "--force", "--cluster",
                                      "local:2"], folder),
                    "tcp": Timed([*CLI, "batch", str(plan), "--force", "--cluster",
                                  cluster.scheduler_address], folder),
                }
                pool = runs["-j 2"].seconds
                line = [f"round {round_} (load average {load:.1f}): -j 2 {pool:.1f} s "
                        f"({args.editions / pool:.1f}/s)"]
                for name in ("local:2", "tcp"):
                    seconds = runs[name].seconds
                    ratios[name].append(seconds / pool)
                    line.append(f"{name} {seconds:.1f} s ({args.editions / seconds:.1f}/s, "
                                f"{seconds / pool:.2f}×, "
                                f"{(seconds - pool) / args.editions * 1000:+.0f} ms/edition)")
                print("; ".join(line), flush=True)
    finally:
        cluster.close()
    for name, values in ratios.items():
        print(f"{name} ÷ -j 2: median {statistics.median(values):.2f}× "
              f"(rounds: {', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
