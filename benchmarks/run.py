"""Speed and memory of brochure on the kratom topic: the figures behind benchmarks/README.md.

    python -m benchmarks.run                  # everything (a few minutes)
    python -m benchmarks.run --editions 48    # a smaller batch

Prints, with the target of each:

- warm render: median milliseconds per layout to render one edition in a process that
  has rendered before — the batch path (inputs loaded once, `api.render_loaded`), the
  uncached library call (`api.render_edition`, which re-reads every file), and the floor
  (`benchmarks/floor.py`: the same story drawn with bare ReportLab);
- batch throughput: editions per second for a plan of N editions (kratom, en + es, both
  layouts, N/4 generated clinic profiles) at ``-j 1`` and ``-j`` all cores, and the
  ratio; wall time of the whole command, process start to exit;
- peak resident memory of the batch (all its processes together, sampled from /proc
  every 50 ms) for N/4, N/2 and N editions, to show whether it grows with N;
- the incremental rerun of the N editions with nothing changed;
- cold ``brochure build`` of one edition, process start to exit.

Each command runs as a child process (``python -m brochure.cli``) in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

from benchmarks import floor

ROOT = Path(__file__).resolve().parent.parent
# Commands run as an installed brochure runs: pip compiles bytecode when it installs, so a
# development shell's PYTHONDONTWRITEBYTECODE would time recompiling every module instead.
INSTALLED_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CLI = [sys.executable, "-m", "brochure.cli"]
LAYOUTS = ("clinic", "general")


def median_ms(fns: dict, repeat: int) -> dict[str, float]:  # type: ignore[type-arg]
    """Median milliseconds of each function, called in turn *repeat* times (interleaved,
    so a slower moment of a shared machine weighs on all of them alike)."""
    for fn in fns.values():
        fn()  # warm up: imports, fonts, caches
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) * 1000 for name, t in times.items()}


class StageTimer:
    """Adds up the time spent in some functions of a module while installed, by wrapping
    them (so it keeps working whatever their signatures are)."""

    def __init__(self, module, names: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
        self.module, self.totals = module, dict.fromkeys(names, 0.0)
        self.names = [n for n in names if hasattr(module, n)]

    def __enter__(self) -> StageTimer:
        self.saved = {n: getattr(self.module, n) for n in self.names}
        for name, real in self.saved.items():
            def timed_call(*args, _real=real, _name=name, **kwargs):  # type: ignore[no-untyped-def]
                start = time.perf_counter()
                try:
                    return _real(*args, **kwargs)
                finally:
                    self.totals[_name] += time.perf_counter() - start
            setattr(self.module, name, timed_call)
        return self

    def __exit__(self, *exc: object) -> None:
        for name, real in self.saved.items():
            setattr(self.module, name, real)


def stages(repeat: int) -> dict[str, dict[str, float]]:
    """Where the warm batch render's time goes: mean ms per edition in each step that
    `api.render_loaded` calls (render, finish, checks), per layout."""
    from brochure import api, paths
    from brochure.source.clinics import load_clinic
    from brochure.source.content import load_content
    from brochure.source.layouts import load_layout

    content = load_content(paths.builtin("content") / "kratom" / "en.yaml",
                           [paths.builtin("content") / "locales"])
    clinic = load_clinic(paths.builtin("content") / "clinics" / "example.yaml")
    out = {}
    for name in LAYOUTS:
        layout = load_layout(name)
        api.render_loaded(content, layout, clinic)
        with StageTimer(api, ("coverage_problems", "render_to_fit", "finish",
                                "check_edition")) as t:
            for _ in range(repeat):
                api.render_loaded(content, layout, clinic)
        out[name] = {k: v * 1000 / repeat for k, v in t.totals.items()}
    return out


def warm_render(repeat: int) -> dict[str, dict[str, float]]:
    from brochure import api, paths
    from brochure.source.clinics import load_clinic
    from brochure.source.content import load_content
    from brochure.source.layouts import load_layout

    content_file = paths.builtin("content") / "kratom" / "en.yaml"
    clinic_file = paths.builtin("content") / "clinics" / "example.yaml"
    content = load_content(content_file, [paths.builtin("content") / "locales"])
    clinic = load_clinic(clinic_file)
    out: dict[str, dict[str, float]] = {}
    for name in LAYOUTS:
        layout = load_layout(name)
        setup = floor.Setup(name)
        out[name] = median_ms({
            "batch": lambda lay=layout: api.render_loaded(content, lay, clinic),
            "uncached": lambda n=name: api.render_edition(content_file, n, clinic_file),
            "floor": lambda s=setup: floor.render(s),
        }, repeat)
    return out


class TreeMemory:
    """Peak resident memory of a process and its descendants, summed, from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb, self.max_one_kb = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self, pid: int) -> list[int]:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return [pid]
        return [pid] + [p for c in children for p in self._tree(int(c))]

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._tree(self.pid):
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            kb = int(line.split()[1])
                            total += kb
                            self.max_one_kb = max(self.max_one_kb, kb)
                except (OSError, ValueError):
                    pass
            self.peak_kb = max(self.peak_kb, total)
            time.sleep(0.05)


class Timed:
    """One command, run to completion: wall and CPU seconds, peak memory, stdout."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=INSTALLED_ENV)
        memory = TreeMemory(proc.pid)
        self.out, err = proc.communicate()
        self.seconds = time.perf_counter() - start
        memory.stop()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time of the command and every process it waited for (its workers)
        self.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        self.peak_mb, self.largest_mb = memory.peak_kb / 1024, memory.max_one_kb / 1024
        self.load = os.getloadavg()[0]
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{self.out}\n{err}")


def project(folder: Path, editions: int) -> Path:
    """A plan of *editions* editions: kratom × en, es × both layouts × N/4 clinics."""
    clinics = folder / "clinics"
    clinics.mkdir(parents=True)
    for i in range(max(editions // 4, 1)):
        (clinics / f"c{i:03d}.yaml").write_text(textwrap.dedent(f"""\
            name: "Community Clinic {i}"
            address: ["{i} Example Street", "Springfield, ST 00000"]
            phone: "(555) 010-{i:04d}"
            website: "www.example.org/c{i}"
        """), "utf-8")
    plan = folder / "plan.yaml"
    plan.write_text(textwrap.dedent("""\
        topics: [kratom]
        languages: [en, es]
        layouts: [clinic, general]
        clinics: [clinics/*.yaml]
        output: out
        name: "{topic}-{lang}-{layout}-{clinic}.pdf"
    """), "utf-8")
    return plan


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editions", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=15, help="renders per median")
    args = parser.parse_args()
    n, all_cores = args.editions - args.editions % 4, cores()

    print(f"brochure benchmarks: kratom topic, {all_cores} cores, Python "
          f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} at start\n")
    print("warm render, median ms per edition (example clinic, Letter)")
    print(f"  {'layout':<8} {'batch':>8} {'uncached':>9} {'floor':>8} {'batch/floor':>12}")
    for name, row in warm_render(args.repeat).items():
        print(f"  {name:<8} {row['batch']:>8.1f} {row['uncached']:>9.1f} "
              f"{row['floor']:>8.1f} {row['batch'] / row['floor']:>11.2f}x")
    print("  target: batch ≤ 1.25x floor; stretch: 15 ms")
    print("  where the batch render's time goes, mean ms per edition:")
    for name, row in stages(max(args.repeat // 3, 3)).items():
        print(f"  {name:<8} " + ", ".join(f"{k} {v:.1f}" for k, v in row.items()))
    print()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = project(folder / "big", n)
        rates = {}
        for jobs in (1, all_cores):
            run = Timed(CLI + ["batch", str(plan), "-j", str(jobs), "--force"], plan.parent)
            rates[jobs] = n / run.seconds
            print(f"batch of {n} editions, -j {jobs}: {run.seconds:.1f} s, "
                  f"{rates[jobs]:.2f} editions/s, CPU {run.cpu * 1000 / n:.0f} ms per "
                  f"edition, peak memory {run.peak_mb:.0f} MB (largest process "
                  f"{run.largest_mb:.0f} MB), load average after {run.load:.1f}")
        print(f"  speed-up -j {all_cores} / -j 1: {rates[all_cores] / rates[1]:.2f}x "
              f"(target ≥ 1.7x on 2 cores)\n")

        reruns = [Timed(CLI + ["batch", str(plan), "-j", str(all_cores)], plan.parent)
                  for _ in range(3)]
        lines = reruns[-1].out.splitlines()
        built = lines[1].split()[0] if len(lines) > 1 else "?"
        print(f"incremental rerun of {n} unchanged editions: "
              f"{statistics.median(r.seconds for r in reruns):.2f} s median of 3, "
              f"process start to exit (built {built}; target < 1 s)\n")

        print(f"peak memory of the batch by editions (-j {all_cores}); flat is the target")
        for size in (n // 4, n // 2, n):
            small = project(folder / f"mem{size}", size)
            run = Timed(CLI + ["batch", str(small), "-j", str(all_cores)], small.parent)
            print(f"  {size:>4} editions: {run.peak_mb:.0f} MB all processes, "
                  f"largest process {run.largest_mb:.0f} MB")
        print()

        cold = CLI + ["build", "kratom", "--layout", "clinic", "-o", str(folder / "cold")]
        Timed(cold, ROOT)  # once first, as after installing: bytecode and user caches made
        # Interleaved, so each figure sees the same moments of a shared machine.
        commands = {
            "build": cold,
            "start": [sys.executable, "-c", "pass"],
            # what any tool on the brief's libraries imports before doing anything
            "libraries": [sys.executable, "-c", "import click, yaml, reportlab.platypus, pypdf"],
            "brochure.api": [sys.executable, "-c", "import brochure.api"],
        }
        seconds: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(7):
            for name, command in commands.items():
                seconds[name].append(Timed(command, ROOT).seconds)
        med = {name: statistics.median(values) for name, values in seconds.items()}
        print(f"cold 'brochure build kratom --layout clinic': {med['build']:.2f} s median of 7 "
              f"(target ≤ 0.45 s), process start to exit; for comparison, medians of the "
              f"same rounds: Python start {med['start']:.2f} s, importing click, yaml, "
              f"reportlab.platypus and pypdf {med['libraries']:.2f} s, importing "
              f"brochure.api (all the above and brochure's own modules) "
              f"{med['brochure.api']:.2f} s")


if __name__ == "__main__":
    main()
