"""The library API: what the CLI, the tests and other programs call.

`build` turns a topic (or one content file) into PDF editions: for each language and
layout it loads and validates the content, checks glyph coverage, renders, finishes and
writes atomically. `render_edition` does one edition in memory; `render_loaded` does
the same from inputs already loaded (batch runs). `validate` checks files without
rendering.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths
from .checks import Report, check_edition, check_pdf
from .errors import BrochureError, ContentError, LayoutError, Problem
from .finish.steps import finish
from .output import write_atomic
from .source import layouts as layouts_mod
from .source import translation
from .source.clinics import load_clinic
from .source.content import load_content, topic_file
from .source.layouts import Layout, load_layout
from .source.model import Clinic, Content, Personal
from .source.topics import find_topics, languages_of, resolve_topic
from .source.yamlsource import load_yaml
from .typeset.fonts import FontSet, font_set, glyph_problem, missing_glyphs
from .typeset.geometry import PrintOptions
from .typeset.glyphs import coverage_problems
from .typeset.personal import PersonalFonts, personal_fonts
from .typeset.render import Edition, render_to_fit

if TYPE_CHECKING:
    from .source.workflow import ImportReport


@dataclass
class BuildResult:
    """One edition built: where it went (if written), its bytes and what was noticed."""

    topic: str
    language: str
    layout: str
    path: Path | None
    pdf: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)
    checks: Report | None = None  # readability, type size, contrast, reading order, ...


def render_edition(content_file: Path, layout: str, clinic: Clinic | Path | None = None,
                   paper: str | None = None, strict: bool = False,
                   personal: Personal | None = None,
                   options: PrintOptions | None = None, *,
                   also: Path | None = None, arrangement: str | None = None
                   ) -> BuildResult:
    """Load, check, render and finish one edition in memory (nothing is written). With
    *also* (a second language's content file of the same topic) the edition is
    bilingual, set in the layout's bilingual arrangement or in *arrangement*."""
    content = load_content(content_file, [paths.builtin("content") / "locales"])
    warnings = translation_findings(content, strict)
    lay = load_layout(layout)
    second = None
    if also is not None:
        second = load_content(also, [paths.builtin("content") / "locales"])
        warnings += translation_findings(second, strict)
        lay = bilingual_layout(lay, content, second, arrangement)
    if isinstance(clinic, Path):
        clinic = load_clinic(clinic)
    return render_loaded(content, lay, clinic, paper, strict, warnings, personal, options,
                         second=second)


def bilingual_layout(layout: Layout, first: Content, second: Content,
                     arrangement: str | None = None) -> Layout:
    """The layout a bilingual edition of *first* and *second* is set with, or the error
    saying why there is none."""
    if first.topic != second.topic:
        raise ContentError(problems=[Problem(second.file, None, None, "topic",
                                             f"is {second.topic!r}; a bilingual edition "
                                             f"needs two languages of one topic "
                                             f"({first.file} is {first.topic!r})")])
    if first.language == second.language:
        raise BrochureError(f"a bilingual edition needs two languages; {first.language!r} "
                            "was given twice")
    if layout.bilingual is None:
        raise LayoutError(f"{first.language}+{second.language}: {layout.bilingual_refusal}")
    return layouts_mod.with_arrangement(layout.bilingual, arrangement)


def render_loaded(content: Content, lay: Layout, clinic: Clinic | None = None,
                  paper: str | None = None, strict: bool = False,
                  warnings: list[str] | None = None,
                  personal: Personal | None = None,
                  options: PrintOptions | None = None, *,
                  second: Content | None = None, checks: bool = True,
                  still_wanted: Callable[[], None] | None = None) -> BuildResult:
    """Check, render and finish one edition from already loaded inputs (nothing is
    written). *warnings* are those found while loading (`translation_findings`); batch
    runs load each input once and call this for every edition that uses it. With
    *second* the edition is bilingual (*lay* is then a bilingual layout). Without
    *checks* the read-back checks are skipped (the counselor page's previews, which show
    none of their findings; the bytes are the same); *still_wanted* is called before
    each layout shrink-to-fit tries and stops the build by raising."""
    content_file = content.file
    warnings = list(warnings or [])
    fonts = font_set(content.language, lay.fonts)
    clinic_trees = clinic.trees if clinic else ()
    missing = coverage_problems(content.trees + clinic_trees, fonts)
    second_fonts = None
    if second is not None:  # each language in its own fonts; the clinic's text in both
        second_fonts = font_set(second.language, lay.fonts)
        missing += coverage_problems(second.trees + clinic_trees, second_fonts)
    personal_font = None
    if personal:
        personal_font = personal_fallback(personal, fonts, content)
        missing += personal_problems(personal, personal_font or fonts)
    if missing:
        raise ContentError(problems=missing)
    options = options or PrintOptions()
    edition = Edition(content, lay, fonts, clinic, paper, personal=personal, print=options,
                      personal_font=personal_font, second=second, second_fonts=second_fonts,
                      still_wanted=still_wanted)
    rendered = render_to_fit(edition)
    warnings += edition.warnings  # a soft page budget not met, among others
    pdf = finish(rendered.pdf, edition)
    report = None
    if checks:
        report = check_edition(content, lay, pdf, clinic, second=second)  # failures: warnings
        warnings += report.warnings()
    if strict and warnings:
        raise BrochureError("\n".join(warnings) + "\n(--strict makes warnings errors)")
    pages = rendered.pages
    if options.booklet:
        from .finish.imposition import impose_booklet  # pypdf: only for booklets

        pdf = impose_booklet(pdf)
        pages = -(-pages // 4) * 2  # sheet sides
        warnings.append(f"{content_file}: the booklet is an imposed print file without "
                        "tags for screen readers; share the unimposed PDF with readers")
    language = content.language + (f"+{second.language}" if second else "")
    return BuildResult(content.topic, language, lay.name, None, pdf, pages, warnings, report)


def personal_fallback(personal: Personal, fonts: FontSet, content: Content
                      ) -> PersonalFonts | None:
    """Other shipped fonts for a personal line the edition's font cannot draw (an
    Arabic or Vietnamese name on an English handout, a Thai name on an Arabic one);
    None when the edition's font will do. See `typeset.personal`."""
    return personal_fonts(personal, fonts, str(content.labels["prepared_for"]))


def personal_problems(personal: Personal, fonts: FontSet | PersonalFonts) -> list[Problem]:
    """Length limits and glyph coverage of a personal line and note (which never name a
    file: they come from a form or the command line)."""
    problems = [Problem(None, None, None, "prepared-for", p) for p in personal.problems()]
    name_font, note_font = ((fonts.name_font.bold, fonts.note.regular)
                            if isinstance(fonts, PersonalFonts) else (fonts.bold, fonts.regular))
    for field_name, text, font in (("prepared-for", personal.name, name_font),
                                   ("note", personal.note, note_font)):
        for char in missing_glyphs(text or "", font):
            problems.append(glyph_problem(char, font, None, None, None, field_name))
    return problems


def translation_findings(content: Content, strict: bool = False) -> list[str]:
    """Check a translated edition against its source: missing or extra fields are errors;
    stale fields are warnings (errors with *strict*). Returns the warnings, with a note
    when a recorded review no longer holds (the edition is then printed as a draft)."""
    lapsed = [content.review.lapsed] if content.review.lapsed else []
    if strict and lapsed:
        raise ContentError("\n".join(lapsed) + "\n(--strict makes warnings errors)")
    if content.translation is None:
        return lapsed
    errors, stale = translation.check(content.file, content.trees[0],
                                      content.translation.source)
    if strict:
        errors += stale
    if errors:
        raise ContentError(problems=errors)
    return lapsed + [str(p) for p in stale]


def output_name(topic: str, language: str, layout: str, clinic: Clinic | None,
                paper: str | None, options: PrintOptions | None = None,
                arrangement: str | None = None) -> str:
    """``<topic>-<lang>-<layout>[-<arrangement>][-<clinic>][-<paper>][-<options>].pdf``;
    a bilingual edition's language is both (``es+en``), and its arrangement is named
    when it is not the layout's own."""
    parts = [topic, language, layout]
    if arrangement:
        parts.append(arrangement)
    if clinic:
        parts.append(clinic.file.stem)
    if paper:
        parts.append(paper)
    if options:
        parts += [name for name, on in (("bleed", options.bleed > 0),
                                        ("marks", options.crop_marks),
                                        ("gray", options.grayscale),
                                        ("booklet", options.booklet)) if on]
    return "-".join(parts) + ".pdf"


def build(
    topic: str | Path | None = None,
    *,
    languages: list[str] | str = "en",
    layouts: list[str] | str = "all",
    clinic: Path | None = None,
    paper: str | None = None,
    out_dir: Path | None = Path("out"),
    strict: bool = False,
    prepared_for: str | None = None,
    note: str | None = None,
    options: PrintOptions | None = None,
    arrangement: str | None = None,
) -> list[BuildResult]:
    """Build the editions of a topic.

    *topic* is a topic name, a topic folder or one content file; None builds every
    topic found. *languages* and *layouts* are lists or ``"all"``. With *out_dir* None
    nothing is written and each result carries only the PDF bytes. *prepared_for* and
    *note* personalise every edition (first page only; never in the metadata);
    *options* prepare it for a printer (bleed, crop marks, grayscale, booklet, QR code).
    A language written ``es+en`` makes a bilingual edition, the patient's language
    first, set in the layout's bilingual arrangement or in *arrangement*.
    """
    targets = [resolve_topic(topic)] if topic is not None else list(find_topics().values())
    if not targets:
        raise ContentError("no topics found: give a topic folder or a content file")
    layout_names = (list(layouts_mod.available()) if layouts == "all"
                    else [layouts] if isinstance(layouts, str) else list(layouts))
    for name in layout_names:
        layouts_mod.find(name)  # fail early, with the list of layouts, before rendering
    profile = load_clinic(clinic) if clinic else None
    personal = Personal(prepared_for, note) if (prepared_for or note) else None
    results = []
    for target in targets:
        langs = (languages_of(target) if languages == "all"
                 else [languages] if isinstance(languages, str) else list(languages))
        for lang in langs:
            file, *also = (_language_file(target, code) for code in split_languages(lang))
            for name in layout_names:
                result = render_edition(file, name, profile, paper, strict, personal,
                                        options, also=also[0] if also else None,
                                        arrangement=arrangement)
                if out_dir is not None:
                    shown = _arrangement_named(name, arrangement) if also else None
                    target_path = Path(out_dir) / output_name(
                        result.topic, result.language, result.layout, profile, paper, options,
                        shown)
                    result.path = write_atomic(target_path, result.pdf)
                results.append(result)
    return results


def split_languages(code: str) -> list[str]:
    """``es`` → [es]; ``es+en`` (a bilingual edition) → [es, en]."""
    parts = code.split("+")
    if len(parts) > 2 or not all(p.strip() for p in parts):
        raise BrochureError(f"{code!r} is not a language: give a code (es) or two joined "
                            "by '+' for a bilingual edition, the patient's first (es+en)")
    return [p.strip() for p in parts]


def _arrangement_named(layout: str, arrangement: str | None) -> str | None:
    """The arrangement a bilingual file name says: only one other than the layout's."""
    own = load_layout(layout).bilingual
    return arrangement if arrangement and own and arrangement != own.arrangement else None


def _language_file(target: Path, lang: str) -> Path:
    file = topic_file(target, lang)
    if not file.is_file():
        raise ContentError(problems=[Problem(
            file, None, None, "", f"no {lang!r} edition of this topic; languages "
            f"found: {', '.join(languages_of(target)) or 'none'}")])
    return file


def validate(files: list[Path], strict: bool = False) -> list[str]:
    """Check content, locale, clinic and layout files without rendering.

    Returns what was checked, one line each; raises `BrochureError` with every problem.
    """
    checked, problems = [], []
    expanded: list[Path] = []
    for path in files:
        expanded.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    for path in expanded:
        try:
            kind = _kind_of(path)
            if kind == "layout":
                load_layout(str(path))
            elif kind == "clinic":
                load_clinic(path)
            elif kind == "locale":
                from .source.content import _read_locale

                _read_locale(path)
            elif kind == "vocabulary":
                from .source.vocabulary import read_vocabulary

                read_vocabulary(path)
            else:
                content = load_content(path, [paths.builtin("content") / "locales"])
                for warning in translation_findings(content, strict):
                    checked.append(f"warning: {warning}")
                fonts = font_set(content.language, allow_unfinished=True)
                missing = coverage_problems(content.trees, fonts)
                if missing:
                    raise ContentError(problems=missing)
            checked.append(f"{path}: {kind} file OK")
        except BrochureError as exc:
            problems.extend(exc.problems or [Problem(path, None, None, "", str(exc))])
    if problems:
        raise ContentError(problems=problems)
    return checked


def _kind_of(path: Path) -> str:
    """Guess a file's kind from its top-level keys (parsing is redone by the loader).
    The file is read as the loaders read it, so an oversized file or a device is
    refused at once, not parsed."""
    try:
        data = load_yaml(path).plain()
    except BrochureError:  # the real loader reports the problem properly
        return "content"
    if isinstance(data, dict):
        if "wording" in data or "base" in data and "topic" not in data:
            return "layout"
        if "evidence_levels" in data and "topic" not in data:
            return "locale"
        if "name" in data and "topic" not in data:
            return "clinic"
        if "terms" in data and "topic" not in data:
            return "vocabulary"
    return "content"


def check_targets(targets: list[str], language: str = "en", layout: str = "all"
                  ) -> list[Report]:
    """The reports the ``check`` command prints: each PDF file as it is, each topic or
    content file built in memory (every topic when *targets* is empty)."""
    reports: list[Report] = []
    pdfs = [Path(t) for t in targets if t.lower().endswith(".pdf")]
    topics = [t for t in targets if not t.lower().endswith(".pdf")]
    for pdf in pdfs:
        if not pdf.is_file():
            raise ContentError(problems=[Problem(pdf, None, None, "", "file not found")])
        reports.append(check_pdf(pdf, None if layout == "all" else layout))
    for topic in topics or ([] if pdfs else [None]):  # type: ignore[list-item]
        for result in build(topic, languages=language, layouts=layout, out_dir=None):
            report = result.checks
            assert report is not None
            own = set(report.warnings())
            report.notes = [w for w in result.warnings if w not in own]
            reports.append(report)
    return reports


# -- translators and reviewers ------------------------------------------------------------

def translate_export(topic: str | Path, language: str, out: Path, fmt: str | None = None,
                     new: bool = False) -> Path:
    """Write every unit of *topic* for *language* as a PO or XLIFF file (the format from
    *fmt* or *out*'s extension); *new* starts a language that has no file yet."""
    from .source import exchange, workflow

    data = workflow.export(topic, language, exchange.format_of(out, fmt), new=new)
    return write_atomic(out, data)


def translate_import(file: Path, topic: Path | None = None, day: dt.date | None = None
                     ) -> ImportReport:
    """Merge a translator's PO or XLIFF file back into the topic's YAML files."""
    from .source import workflow

    return workflow.import_file(file, topic, day)


def translate_status(topic: str | Path | None = None) -> str:
    """Per language: translated, fuzzy and missing units, as a table."""
    from .source import workflow

    return workflow.format_status(workflow.status(topic))


def review_approve(file: Path, by: str, day: dt.date | None = None) -> dict[str, str]:
    """Record a reviewer's sign-off of *file* as it is now (see `source.review`)."""
    from .source import workflow

    return workflow.approve(file, by, day)


def stamp(file: Path) -> int:
    """Record that a translated content or locale file is up to date with its source."""
    from .source import workflow

    if _kind_of(file) == "locale":
        return workflow.stamp_locale(file)
    return translation.stamp(file)
