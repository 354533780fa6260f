"""The counselor page under load, on loopback: the figures behind benchmarks/README.md's
"Counselor page" section.

    python -m benchmarks.web_load               # both scenarios (about two minutes)
    python -m benchmarks.web_load --rounds 5    # a shorter room scenario

Starts ``brochure serve`` (waitress, as a counselor runs it) on a free loopback port,
waits until it has warmed every language, then measures through real HTTP requests the
page's JavaScript would send (the same form fields, token and request numbers):

- typing: for every language × layout, the edition is chosen (the page asks for its
  preview at once), then a slow typist types a name one letter at a time,
  a preview request going out 300 ms after each letter (the page's pause) and the next
  letter following 250 ms later, so every preview but the last is superseded; the figure
  is the time from the last keystroke to the last preview's answer (pause included),
  against the budget of 1.5 s;
- a room of 8 counselors: 8 clients at once, each sending personalised previews (its own
  name, growing), waiting for each answer and pausing as a typist does (0.4–1.2 s)
  before the next, for ``--rounds`` rounds; p50, p95 and worst latency, against the
  budget of 1 s at p95; and the burst case, all 8 sending the same instant.

- service time: CPU seconds this process spends on one personalised preview (build and
  page pictures, in process, one at a time) for every language × layout; unlike the wall
  times above it barely moves with what else runs on a shared machine, and on a quiet
  one the final preview comes about the page's pause plus this after the last key (plus
  the rest of a superseded build still running in a worker, at worst).

The server's output is checked for waitress's "Task queue depth" warning.
"""

from __future__ import annotations

import argparse
import os
import platform
import queue
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLINIC = ROOT / "content" / "clinics" / "example.yaml"
PAUSE = 0.3  # the page's TYPING_PAUSE_MS
KEY_GAP = 0.25  # a slow typist: the next letter after the preview went out
NAME = "Ana Pérez"


def start_server() -> tuple[subprocess.Popen[str], str, list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "brochure.cli", "serve", "--port", "0", "--clinic",
         str(CLINIC)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"}, cwd=ROOT)
    lines: queue.Queue[str] = queue.Queue()
    log: list[str] = []
    assert process.stdout is not None

    def read() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            lines.put(line)
            log.append(line)

    threading.Thread(target=read, daemon=True).start()
    while True:
        line = lines.get(timeout=60)
        found = re.search(r"(http://\S+/)", line)
        if found:
            return process, found.group(1), log


def page_fields(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=60) as response:
        html = response.read().decode("utf-8")
    return {name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)  # type: ignore[union-attr]
            for name in ("client", "token")}


def post(url: str, fields: dict[str, str]) -> tuple[int, float]:
    body = urllib.parse.urlencode(fields).encode()
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=120) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, time.perf_counter() - started


def wait_warm(url: str, languages: list[str]) -> None:
    """Until a preview of every language answers at its warm speed (the server warms
    them in the background at start)."""
    fields = page_fields(url)
    for lang in languages:
        post(url + "preview", {**fields, "lang": lang, "layout": "general"})


def typing(url: str, lang: str, layout: str) -> float:
    """Seconds from the last keystroke to the last preview's answer. As on the page, the
    edition is chosen first (its preview without a name is asked for at once), then the
    name is typed."""
    fields = {**page_fields(url), "topic": "kratom", "lang": lang, "layout": layout,
              "clinic": "example"}
    post(url + "preview", fields)
    threads, answers = [], {}
    last_key = 0.0
    for seq, end in enumerate(range(1, len(NAME) + 1), start=1):
        last_key = time.perf_counter()
        time.sleep(PAUSE)

        def ask(seq: int = seq, end: int = end) -> None:
            status, _seconds = post(url + "preview", {**fields, "name": NAME[:end],
                                                      "seq": str(seq)})
            answers[seq] = (status, time.perf_counter())

        thread = threading.Thread(target=ask)
        thread.start()
        threads.append(thread)
        if end < len(NAME):
            time.sleep(KEY_GAP)
    for thread in threads:
        thread.join()
    final = answers[len(NAME)]
    assert final[0] == 200, final
    return final[1] - last_key


def room(url: str, counselors: int, rounds: int, burst: bool) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(counselors)
    layouts = ["general", "large-print", "clinic", "trifold"]
    languages = ["en", "es", "vi", "th", "ar"]

    def counselor(n: int) -> None:
        rng = random.Random(n)
        fields = {**page_fields(url), "topic": "kratom", "lang": languages[n % 5],
                  "layout": layouts[n % 4], "clinic": "example"}
        start.wait()
        for seq in range(1, rounds + 1):
            status, seconds = post(url + "preview", {
                **fields, "name": f"Counselor {n} patient {seq}", "seq": str(seq)})
            assert status == 200, status
            with lock:
                latencies.append(seconds)
            if not burst:
                time.sleep(rng.uniform(0.4, 1.2))

    threads = [threading.Thread(target=counselor, args=(n,)) for n in range(counselors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def service_times(languages: list[str], layouts: list[str]) -> None:
    from brochure.web.catalogue import load_catalogue
    from brochure.web.choice import parse_choice
    from brochure.web.editions import Editions

    catalogue = load_catalogue(ROOT / "content", [CLINIC])
    editions = Editions(catalogue)
    editions.warm()
    print("service time: CPU s per personalised preview (build + pictures), median of 3")
    for lang in languages:
        row = []
        for layout in layouts:
            times = []
            # as on the page: the edition is shown before a name is typed
            editions.preview(parse_choice({"topic": "kratom", "lang": lang, "layout": layout,
                                           "clinic": "example"}, catalogue))
            for n in range(4):
                choice = parse_choice({"topic": "kratom", "lang": lang, "layout": layout,
                                       "clinic": "example", "name": f"{NAME} {n}"},
                                      catalogue)
                started = time.process_time()
                editions.preview(choice)
                times.append(time.process_time() - started)
            row.append(f"{layout} {statistics.median(times[1:]):.2f}")
        print(f"  {lang}: " + ", ".join(row))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--counselors", type=int, default=8)
    parser.add_argument("--typing-runs", type=int, default=3,
                        help="times each edition's typing is measured")
    parser.add_argument("--service-only", action="store_true",
                        help="only the service times (no server)")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average "
          f"{os.getloadavg()[0]:.1f} at start")
    if args.service_only:
        service_times(["en", "es", "vi", "th", "ar"], ["clinic", "general", "large-print",
                                                       "trifold"])
        return
    process, url, log = start_server()
    try:
        languages = ["en", "es", "vi", "th", "ar"]
        layouts = ["clinic", "general", "large-print", "trifold"]
        wait_warm(url, languages)
        print(f"typing: last keystroke → last preview (s), median of {args.typing_runs} "
              "(slowest), budget 1.5")
        worst = 0.0
        medians = []
        for lang in languages:
            row = []
            for layout in layouts:
                runs = [typing(url, lang, layout) for _ in range(args.typing_runs)]
                worst = max(worst, *runs)
                medians.append(statistics.median(runs))
                row.append(f"{layout} {statistics.median(runs):.2f} ({max(runs):.2f})")
            print(f"  {lang}: " + ", ".join(row))
        print(f"  worst median {max(medians):.2f}, slowest run {worst:.2f}, load average "
              f"{os.getloadavg()[0]:.1f}")
        for burst in (False, True):
            latencies = room(url, args.counselors, args.rounds if not burst else 3, burst)
            name = "burst (all at the same instant)" if burst else "room (typing pauses)"
            print(f"{args.counselors} counselors, {name}: {len(latencies)} previews, "
                  f"p50 {statistics.median(latencies):.2f} s, p95 {p95(latencies):.2f} s, "
                  f"worst {max(latencies):.2f} s (budget: p95 ≤ 1 s), load average "
                  f"{os.getloadavg()[0]:.1f}")
        warnings = [line for line in log if "Task queue depth" in line]
        print(f"waitress queue warnings: {len(warnings)}")
    finally:
        process.terminate()
        process.wait(timeout=20)
    service_times(languages, layouts)


if __name__ == "__main__":
    main()
