"""Plans at scale: 100,000 editions enumerated, hashed and found unchanged.

    python -m benchmarks.plan_scale                 # 2,500 clinics: 100,000 editions
    python -m benchmarks.plan_scale --clinics 250   # 10,000 editions

The plan is kratom × its 5 languages × the 4 built-in layouts × 2 papers × N generated
clinic profiles. Building 100,000 PDFs would take three CPU-hours, so the finished run is
set up directly: one edition is really built, every output path is a hard link to a copy of it,
and the manifest records each edition as `brochure batch` would (its inputs hashed by
the batch's own `Fingerprinter`, the file's SHA-256, size and stat). Then the real command
runs as a child process and is timed from process start to exit, with its peak resident
memory sampled from /proc: it must read the plan, glob the clinics, hash every input,
read the manifest, decide that all 100,000 editions are unchanged and build none.
A second figure touches one clinic file and reruns: 40 editions to rebuild, so it runs
with ``--cluster``-free ``-j 1`` and is timed the same way.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks.run import CLI, Timed

LANGUAGES = 5
LAYOUTS = 4
PAPERS = 2


def project(folder: Path, clinics: int) -> Path:
    """The plan and its clinic profiles (one file each, as a health department has)."""
    folder = folder / "clinics"
    folder.mkdir(parents=True)
    for i in range(clinics):
        (folder / f"c{i:05d}.yaml").write_text(textwrap.dedent(f"""\
            name: "Community Clinic {i}"
            address: ["{i} Example Street", "Springfield, ST 00000"]
            phone: "(555) 010-{i % 10000:04d}"
            website: "www.example.org/c{i}"
        """), "utf-8")
    plan = folder.parent / "plan.yaml"
    plan.write_text(textwrap.dedent("""\
        topics: [kratom]
        languages: all
        layouts: all
        papers: [letter, a4]
        clinics: [clinics/*.yaml]
        output: out
        name: "{lang}/{layout}-{paper}/{clinic}.pdf"
    """), "utf-8")
    return plan


def finished_run(plan_file: Path) -> int:
    """Record every edition of the plan as built (see the module docstring)."""
    from brochure import api
    from brochure.batch import run as batch_run
    from brochure.batch.manifest import Manifest
    from brochure.batch.plan import load_plan
    from brochure.batch.worker import Outcome

    os.chdir(plan_file.parent)  # where the command runs: the manifest names files from there
    plan = load_plan(plan_file)
    first = plan.editions[0]
    pdf = api.render_edition(first.content_file, first.layout, first.clinic).pdf
    manifest = Manifest(plan.manifest)
    report = batch_run.Report(len(plan.editions), 1, plan.manifest)
    where = batch_run._Outputs(plan, manifest, None)
    todo, order = batch_run._plan_work(plan, manifest, False, report, where)
    digest = hashlib.sha256(pdf).hexdigest()
    for job, spec, inputs in todo:
        folder_sample = spec.output.parent / ".sample.pdf"  # a file has < 65,000 links
        if not folder_sample.exists():
            spec.output.parent.mkdir(parents=True, exist_ok=True)
            folder_sample.write_bytes(pdf)
        os.link(folder_sample, spec.output)
        outcome = Outcome(job.index, True, digest, len(pdf), 2)
        record = batch_run._record(spec, inputs, where.name(spec), outcome,
                                   spec.output.stat().st_mtime_ns)
        manifest.keep(record, batch_run._new_groups(inputs, manifest))
    manifest.save(order, batch_run.engine(), {"plan": plan_file.name})
    return len(todo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=2500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = project(folder, args.clinics)
        start = time.perf_counter()
        editions = finished_run(plan)
        print(f"{editions:,} editions recorded as built in "
              f"{time.perf_counter() - start:.1f} s (setup, not a figure)")
        manifest = folder / "out" / "manifest.json"
        print(f"manifest: {manifest.stat().st_size / 1e6:.1f} MB")
        for run in range(args.runs):
            timed = Timed([*CLI, "batch", plan.name], folder)
            row = timed.out.splitlines()[1].split()
            assert row[:4] == ["0", str(editions), "0", str(editions)], timed.out
            print(f"run {run + 1}: all unchanged in {timed.seconds:.2f} s wall, "
                  f"{timed.cpu:.2f} s CPU, peak {timed.peak_mb:.0f} MB "
                  f"(load average {timed.load:.1f})")
        clinic = folder / "clinics" / "c00007.yaml"
        clinic.write_text(clinic.read_text("utf-8").replace("Clinic 7", "Clinic Seven"))
        timed = Timed([*CLI, "batch", plan.name, "-j", "1"], folder)
        print(f"one clinic changed: {timed.out.splitlines()[1].strip()} — "
              f"{timed.seconds:.2f} s wall, peak {timed.peak_mb:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
