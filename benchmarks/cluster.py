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

Every command is a child process timed from start to exit. Wall time on a shared machine
moves with what else runs, so the figure to read is CPU time per edition, summed over
every process that took part: the command and its workers (``RUSAGE_CHILDREN``), and for
the running cluster its worker processes and its scheduler (in this process) as well.
The Dask path's overhead per edition is its CPU per edition over the pool's, per round.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import tempfile
from pathlib import Path

import psutil

from benchmarks.run import CLI, Timed, project


def cpu_of(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    own = resource.getrusage(resource.RUSAGE_SELF)
    return total + own.ru_utime + own.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editions", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from distributed import LocalCluster

    from brochure.batch.cluster import LOCAL_QUIET

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           silence_logs=logging.ERROR, **LOCAL_QUIET)
    workers = psutil.Process().children(recursive=True)  # the running cluster's
    ratios: dict[str, list[float]] = {"local:2": [], "tcp": []}
    n = args.editions
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            plan = project(folder, n)
            commands = {"-j 2": ["-j", "2"], "local:2": ["--cluster", "local:2"],
                        "tcp": ["--cluster", cluster.scheduler_address]}
            for options in commands.values():  # warm the disk cache and the font cache
                Timed([*CLI, "batch", str(plan), "--force", *options], folder)
            for round_ in range(1, args.rounds + 1):
                load = os.getloadavg()[0]
                cpu, wall = {}, {}
                for name, options in commands.items():
                    before = cpu_of(workers)
                    timed = Timed([*CLI, "batch", str(plan), "--force", *options], folder)
                    cpu[name] = timed.cpu + cpu_of(workers) - before
                    wall[name] = timed.seconds
                pool = cpu["-j 2"] / n * 1000
                line = [f"round {round_} (load average {load:.1f}): -j 2 {pool:.0f} ms CPU "
                        f"per edition, {wall['-j 2']:.1f} s wall"]
                for name in ("local:2", "tcp"):
                    per = cpu[name] / n * 1000
                    ratios[name].append(per / pool)
                    line.append(f"{name} {per:.0f} ms ({per / pool:.2f}×, "
                                f"{per - pool:+.0f} ms), {wall[name]:.1f} s wall")
                print("; ".join(line), flush=True)
    finally:
        cluster.close()
    for name, values in ratios.items():
        print(f"{name} ÷ -j 2, CPU per edition: median {statistics.median(values):.2f}× "
              f"(rounds: {', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
