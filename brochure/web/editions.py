"""Editions for the page, built in memory: a `Choice` in, PDF bytes and page pictures out.

`Editions.pdf` builds as `brochure.build` does (`workers.build_unchecked`: in memory,
nothing written, from the topic's own folder, so the library never looks a name up on
disk). `Editions.preview` draws each page to a JPEG picture with pdfium, in memory.
Unpersonalised editions are kept in a small in-memory cache, keyed by the choice and
the modification times of its content, layout and clinic files; a personalised edition
is built for its request and then forgotten.

Building is serialised by one lock (ReportLab's font registry is not meant for several
threads at once) and drawing pages by another (nor is pdfium), so one request's pages are
drawn while the next one is built; both calls into pdfium and JPEG encoding release
Python's interpreter lock. A preview may carry a check (`cancel.Generations`) that is
called before the build, between the layouts its shrink-to-fit tries (in a worker
process too) and between pages, so work for a superseded preview stops.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import BrochureError
from ..source import layouts
from ..source.content import topic_file
from ..typeset import fitmemory
from ..typeset.fonts import font_set
from .catalogue import Catalogue
from .choice import Choice, ChoiceError, parse_choice
from .pictures import page_pictures
from .workers import Builders, Job, build_unchecked


def _wanted() -> None:
    """The check of a request nobody can supersede: always still wanted."""


@dataclass(frozen=True)
class Built:
    """One edition: its bytes, page count and page pictures (JPEG), when drawn."""

    pdf: bytes
    pages: int
    pictures: tuple[bytes, ...] = ()


class Editions:
    """Builds editions for requests; caches the unpersonalised ones (at most *size*).

    With *workers*, builds run in that many worker processes (`workers.Builders`), so
    several counselors' previews are built at once; without, in this process, one at a
    time."""

    def __init__(self, catalogue: Catalogue, size: int = 32, workers: int = 0) -> None:
        self.catalogue = catalogue
        self.size = size
        self._cache: OrderedDict[tuple, Built] = OrderedDict()
        self._lock = threading.Lock()
        self._priming: set[tuple] = set()  # editions being built by `_prime`
        self._scales: dict[str, float] = {}  # what the workers' shrink-to-fit found
        self._builders = Builders(workers, tuple(self._warm_jobs())) if workers else None

    def close(self) -> None:
        """Stop the worker processes, if any."""
        if self._builders is not None:
            self._builders.close()

    def _warm_jobs(self) -> list[Job]:
        jobs = []
        for topic in self.catalogue.topics.values():
            for lang in topic.languages:
                try:
                    choice = parse_choice({"topic": topic.name, "lang": lang}, self.catalogue,
                                          personal=False)
                except ChoiceError:
                    continue
                jobs.append(self._job(choice))
        return jobs

    def pdf(self, choice: Choice) -> Built:
        """The finished PDF of *choice* (pictures not drawn)."""
        return self._get(choice, pictures=False)

    def preview(self, choice: Choice, still_wanted: Callable[[], None] = _wanted) -> Built:
        """The PDF of *choice* and a picture of each page; *still_wanted* raises once the
        preview is no longer wanted (before the build, between its layouts and pages)."""
        return self._get(choice, pictures=True, still_wanted=still_wanted)

    def warm(self) -> None:
        """Build the page's default edition in every language of every topic (fonts,
        shaping and word-break dictionaries load on first use; Thai takes seconds), so
        a counselor's first request is as fast as the later ones. Errors are left for
        the request that meets them."""
        if self._builders is not None:
            return  # each worker warmed itself when it started
        for topic in self.catalogue.topics.values():
            for lang in topic.languages:
                try:
                    self.preview(parse_choice({"topic": topic.name, "lang": lang},
                                              self.catalogue, personal=False))
                except (BrochureError, ChoiceError):
                    continue

    def font_file(self, language: str) -> Path:
        """The regular font file the handouts of *language* are printed in (the page shows
        handout text in it too, so Thai or Arabic reads right without system fonts)."""
        with self._lock:  # registering a font changes ReportLab's registry
            return font_set(language).files["regular"]

    def _inputs(self, choice: Choice) -> list[Path]:
        """The files whose changes make a cached edition stale."""
        files = [topic_file(choice.topic.folder, choice.lang), layouts.find(choice.layout)]
        if choice.also:
            files.append(topic_file(choice.topic.folder, choice.also))
        if choice.clinic:
            files.append(self.catalogue.clinics[choice.clinic].file)
        return files

    def _get(self, choice: Choice, pictures: bool,
             still_wanted: Callable[[], None] = _wanted) -> Built:
        if choice.personal:  # built for this request, then forgotten
            built = self._build(choice, still_wanted, pictures)
            self._prime(choice)
            if pictures and not built.pictures:
                still_wanted()
                built = Built(built.pdf, built.pages, page_pictures(
                    built.pdf, still_wanted=still_wanted))
            return built
        key = (choice.key, tuple(f.stat().st_mtime_ns for f in self._inputs(choice)))
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is None:
            cached = self._build(choice, still_wanted, pictures)
            with self._lock:
                self._remember(key, cached)
        if pictures and not cached.pictures:
            drawn = page_pictures(cached.pdf, still_wanted=still_wanted)
            with self._lock:
                cached = self._remember(key, Built(cached.pdf, cached.pages, drawn))
        return cached

    def _prime(self, choice: Choice) -> None:
        """Build *choice*'s edition without its personal line in the background, once,
        if it is not cached: the next previews of the same edition start shrink-to-fit
        at the scale that one needed (`typeset.fitmemory`), and clearing the name shows
        it at once."""
        plain = replace(choice, name=None, note=None)
        with self._lock:
            if plain.key in self._priming or any(k[0] == plain.key for k in self._cache):
                return
            self._priming.add(plain.key)

        def run() -> None:
            try:
                self._get(plain, pictures=False)
            except BrochureError:
                pass  # the page's own requests report what is wrong
            finally:
                with self._lock:
                    self._priming.discard(plain.key)

        threading.Thread(target=run, name="brochure-prime", daemon=True).start()

    def _remember(self, key: tuple, built: Built) -> Built:
        self._cache[key] = built
        self._cache.move_to_end(key)
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return built

    def _job(self, choice: Choice) -> Job:
        clinic = self.catalogue.clinics[choice.clinic].file if choice.clinic else None
        return Job(choice.topic.folder, choice.lang, choice.layout, clinic, choice.paper,
                   choice.name, choice.note, choice.grayscale, choice.qr, also=choice.also)

    def _known_scales(self) -> tuple[tuple[str, float], ...]:
        with self._lock:
            return tuple(self._scales.items())

    def _build(self, choice: Choice, still_wanted: Callable[[], None] = _wanted,
               pictures: bool = False) -> Built:
        """Build *choice*: in a worker process if there are any (which also draws the
        page *pictures*, so several previews' pages are drawn at once), else here, under
        the lock; *still_wanted* is checked once the build's turn has come."""
        job = self._job(choice)
        if self._builders is not None:
            job = replace(job, pictures=pictures)
            pdf, pages, scales, drawn = self._builders.build(
                job, still_wanted, self._known_scales if choice.personal else None)
            with self._lock:
                self._scales.update(scales)
                while len(self._scales) > fitmemory.SIZE:
                    del self._scales[next(iter(self._scales))]
            return Built(pdf, pages, drawn)
        with self._lock:
            still_wanted()
            pdf, pages = build_unchecked(job, still_wanted)
            return Built(pdf, pages)
