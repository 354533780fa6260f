"""Batch on a real Dask cluster (`distributed.LocalCluster`, two worker processes): the
same plan, manifest, reruns and failures as the local pool, and the same bytes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("distributed", reason="the cluster tests need Dask distributed")

import dask  # noqa: E402
import psutil  # noqa: E402  (a dependency of distributed)
from distributed import Client, LocalCluster, WorkerPlugin  # noqa: E402

from brochure.batch import cluster as batch_cluster  # noqa: E402
from brochure.cli import main  # noqa: E402
from tests.conftest import pdf_text, reader, write  # noqa: E402

# Dask warns when a loaded machine is slow to make a worker's scratch folder.
pytestmark = pytest.mark.filterwarnings(f"ignore:{batch_cluster.SLOW_SCRATCH}:UserWarning")

# A worker that dies while building an edition takes only that edition down with it:
# one task per worker thread at a time, and an edition that killed two workers fails.
CONFIG = {"distributed.scheduler.worker-saturation": 1.0,
          "distributed.scheduler.allowed-failures": 1}


def worker_processes() -> list[psutil.Process]:
    """This process's children that run Dask (multiprocessing's resource tracker lives
    as long as this process, by design)."""
    return [p for p in psutil.Process().children(recursive=True)
            if "resource_tracker" not in " ".join(p.cmdline())]


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """Two worker processes, one thread each; none of its processes outlives the
    module's tests."""
    with dask.config.set(CONFIG):
        local = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                             silence_logs=50, **batch_cluster.LOCAL_QUIET)
        try:
            yield local
        finally:
            started = worker_processes()
            local.close()
        _, alive = psutil.wait_procs(started, timeout=20)
        assert not alive


@pytest.fixture
def workers(cluster: LocalCluster) -> list[psutil.Process]:
    """The cluster's two worker processes, once both are up (a test may have killed
    some). No second client is opened: one process runs one Dask client at a time."""
    deadline = time.monotonic() + 60
    while len(cluster.scheduler.workers) < 2 or len(worker_processes()) != 2:
        assert time.monotonic() < deadline, "the cluster's workers did not come back"
        time.sleep(0.1)
    return worker_processes()


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plan_with_clinics(folder: Path, names: list[str], languages: str = "[en, es]") -> Path:
    for name in names:
        write(folder / "clinics", f"{name}.yaml", f"""
            name: "Clinic {name.upper()}"
            phone: "555-0100"
        """)
    return write(folder, "plan.yaml", f"""
        topics: [kratom]
        languages: {languages}
        layouts: [clinic]
        clinics: [clinics/*.yaml]
        output: out
        name: "{{topic}}-{{lang}}-{{layout}}-{{clinic}}.pdf"
    """)


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "out" / "manifest.json").read_text("utf-8"))


def test_cluster_builds_the_plan_and_the_manifest_matches_the_files(
        tmp_path: Path, cluster: LocalCluster) -> None:
    plan = plan_with_clinics(tmp_path, ["a", "b"])
    code, stdout, stderr = run_cli("batch", str(plan), "--cluster", cluster.scheduler_address)
    assert code == 0, stderr
    editions = manifest_of(tmp_path)["editions"]
    assert {e["output"] for e in editions} == {f"kratom-{lang}-clinic-{c}.pdf"
                                               for lang in ("en", "es") for c in "ab"}
    for edition in editions:
        pdf = tmp_path / "out" / edition["output"]
        assert edition["status"] == "ok"
        assert (sha(pdf), pdf.stat().st_size) == (edition["sha256"], edition["bytes"])
        assert f"Clinic {edition['clinic'][-6].upper()}" in pdf_text(pdf.read_bytes())
    assert "4          0       0      4" in stdout and "on 2 workers" in stdout


def test_cluster_rerun_builds_nothing(tmp_path: Path, cluster: LocalCluster) -> None:
    plan = plan_with_clinics(tmp_path, ["a"])
    assert run_cli("batch", str(plan), "--cluster", cluster.scheduler_address)[0] == 0
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}
    code, stdout, _ = run_cli("batch", str(plan), "--cluster", cluster.scheduler_address)
    assert code == 0
    assert stdout.splitlines()[1].split()[:4] == ["0", "2", "0", "2"]
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()} == before


def test_local_and_cluster_runs_write_identical_bytes(tmp_path: Path,
                                                      cluster: LocalCluster) -> None:
    """Everything an edition is made from travels: a translation and its source, a
    layout of the plan's own that extends a built-in one, a clinic's logo."""
    from PIL import Image

    (tmp_path / "clinics").mkdir()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(tmp_path / "clinics" / "logo.png")
    write(tmp_path / "clinics", "a.yaml", 'name: "Clinic A"\nlogo: logo.png\n'
          'logo_alt: "a red bar"\n')
    write(tmp_path / "clinics", "b.yaml", 'name: "Clinic B"\n')
    write(tmp_path / "layouts", "mine.yaml", "description: mine\nbase: clinic\n")
    plan = write(tmp_path, "plan.yaml", """
        topics: [kratom]
        languages: [en, es]
        layouts: [layouts/mine.yaml]
        clinics: [clinics/*.yaml]
        output: out
        name: "{lang}-{clinic}.pdf"
    """)
    code, _, stderr = run_cli("batch", str(plan), "--cluster", cluster.scheduler_address)
    assert code == 0, stderr
    on_cluster = {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.pdf")}
    (tmp_path / "out").rename(tmp_path / "cluster-out")
    assert run_cli("batch", str(plan), "-j", "1")[0] == 0
    here = {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.pdf")}
    assert sorted(here) == ["en-a.pdf", "en-b.pdf", "es-a.pdf", "es-b.pdf"]
    assert here == on_cluster
    def pictures(name: str) -> int:
        return sum(len(page.images) for page in reader(here[name]).pages)

    assert pictures("es-a.pdf") == pictures("es-b.pdf") + 1  # clinic A's logo


def test_a_broken_clinic_fails_on_the_cluster_with_the_message_it_gives_here(
        tmp_path: Path, cluster: LocalCluster) -> None:
    plan = plan_with_clinics(tmp_path, ["a", "b"], "[en]")
    bad = write(tmp_path / "clinics", "b.yaml", "name: [x]\n")
    code, out, err = run_cli("batch", str(plan), "--cluster", cluster.scheduler_address)
    assert code == 1
    assert out.splitlines()[1].split()[:4] == ["1", "0", "1", "2"]
    records = {e["output"]: e for e in manifest_of(tmp_path)["editions"]}
    assert records["kratom-en-clinic-b.pdf"]["error"] == (
        f"{bad}:1:7: name: must be text, not a list")
    assert f"    {bad}:1:7: name: must be text, not a list\n" in err


class KillOnStart(WorkerPlugin):
    """Kills its worker process whenever it starts a task whose key names *word*."""

    def __init__(self, word: str) -> None:
        self.word = word

    def transition(self, key, start, finish, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if finish == "executing" and self.word in str(key):
            os._exit(1)


def test_edition_that_kills_its_workers_fails_alone(tmp_path: Path, workers: list,
                                                    cluster: LocalCluster) -> None:
    plan = plan_with_clinics(tmp_path, ["a", "poison", "z"], "[en]")
    with Client(cluster) as client:
        client.register_plugin(KillOnStart("poison"), name="kill-on-start")
    try:
        code, stdout, stderr = run_cli("batch", str(plan), "--cluster",
                                       cluster.scheduler_address)
    finally:
        with Client(cluster) as client:
            client.unregister_worker_plugin("kill-on-start")
    assert code == 1
    status = {e["output"]: e["status"] for e in manifest_of(tmp_path)["editions"]}
    assert status == {"kratom-en-clinic-a.pdf": "ok", "kratom-en-clinic-poison.pdf": "failed",
                      "kratom-en-clinic-z.pdf": "ok"}
    assert batch_cluster.WORKER_KILLED in stderr.replace("\n    ", " ")
    assert not (tmp_path / "out" / "kratom-en-clinic-poison.pdf").exists()


def test_worker_killed_mid_run_loses_no_edition(tmp_path: Path, workers: list,
                                                cluster: LocalCluster) -> None:
    plan = plan_with_clinics(tmp_path, ["a", "b", "c"])
    journal = tmp_path / "out" / ".manifest.json.journal"
    pids = [p.pid for p in workers]
    killed: list[int] = []

    def kill_after_first_result() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if journal.is_file() and journal.read_text("utf-8").count("\n") >= 1:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
                return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_after_first_result)
    killer.start()
    code, _, stderr = run_cli("batch", str(plan), "--cluster", cluster.scheduler_address)
    killer.join()
    assert killed and not psutil.pid_exists(killed[0])
    assert code == 0, stderr
    editions = manifest_of(tmp_path)["editions"]
    assert len(editions) == 6 and all(e["status"] == "ok" for e in editions)
    for edition in editions:
        assert sha(tmp_path / "out" / edition["output"]) == edition["sha256"]


def test_cluster_of_another_brochure_is_refused(tmp_path: Path, cluster: LocalCluster,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    real = batch_cluster.engine()
    monkeypatch.setattr(batch_cluster, "engine", lambda: {**real, "brochure": "9.9"})
    plan = plan_with_clinics(tmp_path, ["a"])
    code, _, stderr = run_cli("batch", str(plan), "--cluster", cluster.scheduler_address)
    assert code == 1
    assert "the cluster runs a different brochure from this client" in stderr
    assert f"runs brochure {real['brochure']}, this client 9.9" in stderr
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_workers_write_to_the_output_url_and_the_client_records_it(tmp_path: Path) -> None:
    plan = plan_with_clinics(tmp_path, ["a"], "[en]")
    shared = tmp_path / "shared"
    before = {p.pid for p in worker_processes()}
    code, _, stderr = run_cli("batch", str(plan), "--cluster", "local:1",
                              "--output", shared.as_uri())
    assert code == 0, stderr
    (edition,) = manifest_of(tmp_path)["editions"]
    assert edition["output"] == f"{shared.as_uri()}/kratom-en-clinic-a.pdf"
    assert sha(shared / "kratom-en-clinic-a.pdf") == edition["sha256"]
    assert not list((tmp_path / "out").glob("*.pdf"))
    after = {p.pid for p in worker_processes()}
    assert after <= before  # the local cluster's worker processes are gone
