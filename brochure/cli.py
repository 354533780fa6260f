"""The command line: a thin shell over the library API (`brochure.api`).

Each command parses options, makes one library call and prints what happened. A
`BrochureError` becomes a message and exit status 1 here, in one place; usage errors
exit 2 (click's own).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import BrochureError


class _BrochureCommand(click.Command):
    """Turns library errors into one readable message and a non-zero exit."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except BrochureError as exc:
            raise _Failure(exc) from None


class _Failure(click.ClickException):
    def __init__(self, error: BrochureError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"error: {self.message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="brochure")
def main() -> None:
    """Turn structured health content (YAML) into print-ready PDF handouts.

    \b
    Example:
      brochure build                      # every topic, English, all layouts, into out/
      brochure build kratom --layout clinic --clinic content/clinics/example.yaml
    """


@main.command(cls=_BrochureCommand)
@click.argument("topic", required=False)
@click.option("--lang", "lang", default="en", show_default=True,
              help="Language code of the edition, 'all', or two codes joined by '+' for "
                   "a bilingual edition, the patient's language first (es+en).")
@click.option("--layout", "layout", default="all", show_default=True,
              help="Layout name (see 'brochure layouts'), a layout file, or 'all'.")
@click.option("--arrangement", type=click.Choice(["parallel", "sequential"]),
              help="Bilingual editions: each part side by side (parallel) or one language "
                   "after the other (sequential); default: the layout's own.")
@click.option("--clinic", type=click.Path(dir_okay=False, path_type=Path),
              help="Clinic profile (YAML) whose name and contact the handout shows.")
@click.option("--paper", type=click.Choice(["letter", "a4"]),
              help="Paper size; default: the layout's own.")
@click.option("-o", "--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder for the PDFs.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--prepared-for", "prepared_for", metavar="NAME",
              help="Print 'Prepared for NAME' on the first page (never in the metadata).")
@click.option("--note", metavar="TEXT", help="A short personal note under it (500 characters).")
@click.option("--bleed", metavar="LENGTH", callback=lambda ctx, param, value: _length(value),
              help="Grow the page by this bleed on every side, e.g. 3mm or 0.125in.")
@click.option("--crop-marks", is_flag=True, help="Trim marks outside the trim box.")
@click.option("--booklet", is_flag=True,
              help="Impose pages for saddle-stitch printing (2 pages per sheet side).")
@click.option("--grayscale", is_flag=True,
              help="Colours mapped to greys with the same contrast, for black-and-white "
                   "printers.")
@click.option("--qr", metavar="URL", help="Print a QR code linking to URL (where the layout "
                                          "has a place for one).")
def build(topic: str | None, lang: str, layout: str, arrangement: str | None,
          clinic: Path | None, paper: str | None, out: Path, strict: bool,
          prepared_for: str | None, note: str | None, bleed: float, crop_marks: bool,
          booklet: bool, grayscale: bool, qr: str | None) -> None:
    """Build PDF handouts of TOPIC (a topic name, folder or content file).

    Without TOPIC, every topic in ./content (or the built-in sample) is built.

    \b
    Examples:
      brochure build
      brochure build kratom --lang en --layout general --paper a4
      brochure build content/kratom/en.yaml --layout clinic --clinic content/clinics/example.yaml
      brochure build kratom --layout trifold --bleed 0.125in --crop-marks
      brochure build kratom --lang es+en --layout general
    """
    from .typeset.geometry import PrintOptions

    options = PrintOptions(bleed=bleed, crop_marks=crop_marks, grayscale=grayscale,
                           booklet=booklet, qr=qr)
    from . import api

    results = api.build(topic, languages=lang, layouts=layout, clinic=clinic, paper=paper,
                        out_dir=out, strict=strict, prepared_for=prepared_for, note=note,
                        options=options, arrangement=arrangement)
    for result in results:
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(f"wrote {result.path} ({result.pages} pages, {len(result.pdf):,} bytes)")


@main.command(cls=_BrochureCommand)
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings (stale translations) as errors.")
def validate(paths: tuple[Path, ...], strict: bool) -> None:
    """Check content, locale, clinic and layout files without rendering: the schema,
    glyph coverage, and for translations completeness and staleness.

    \b
    Example:
      brochure validate content/kratom content/clinics/example.yaml layouts/clinic.yaml
    """
    from . import api

    for line in api.validate(list(paths), strict):
        click.echo(line, err=line.startswith("warning:"))


@main.command(cls=_BrochureCommand)
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
def stamp(files: tuple[Path, ...]) -> None:
    """Record that translation FILES are up to date with their source edition.

    Run it after a translator has brought a file in line with the current source: it
    stores a fingerprint of every source string under 'translation: source_hashes', so a
    later change to the source shows up as a stale field. FILES may be content files or
    translated locale files (content/locales/es.yaml).

    \b
    Example:
      brochure stamp content/kratom/es.yaml
    """
    from . import api

    for file in files:
        count = api.stamp(file)
        click.echo(f"stamped {file}: {count} source strings")


def _length(value: str | None) -> float:
    """A length option (3mm, 0.125in, 9pt) in points."""
    if value is None:
        return 0.0
    from .source.schema import Context, Dimension
    from .source.yamlsource import Node

    points = Dimension().read(Node(value, 1, 1), "bleed", context := Context())
    if context.problems:
        raise click.BadParameter(f"{value!r} is not a length such as 3mm, 0.125in or 9pt")
    return float(points)


@main.command(cls=_BrochureCommand)
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
def inspect(files: tuple[Path, ...]) -> None:
    """Pre-flight check of PDF FILES: pages, sizes and boxes, fonts and whether each is
    embedded, metadata, outline and the first lines of text.

    Exits with status 1 if a font is not embedded or the page boxes do not nest.

    \b
    Example:
      brochure inspect out/kratom-en-general.pdf
    """
    from .checks.preflight import inspect_pdf

    failed = False
    for file in files:
        result = inspect_pdf(file.read_bytes())
        click.echo(f"== {file}")
        click.echo(result.report())
        failed = failed or bool(result.problems)
    if failed:
        raise click.exceptions.Exit(1)


@main.command(cls=_BrochureCommand)
def layouts() -> None:
    """List the layouts that can be used, one line each.

    \b
    Example:
      brochure layouts
    """
    from .source import layouts as layouts_mod

    broken: list[BrochureError] = []
    for name in layouts_mod.available():
        try:
            layout = layouts_mod.load_layout(name)
        except BrochureError as exc:  # one broken file does not hide the others
            broken.append(exc)
            click.echo(f"{name:<12} (cannot be used: see below)")
            continue
        click.echo(f"{name:<12} {layout.description}")
    if broken:
        raise BrochureError("\n".join(str(exc) for exc in broken))



# -- translators and reviewers ---------------------------------------------------------

def _day(value: str | None):  # type: ignore[no-untyped-def]
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date written YYYY-MM-DD") from None


@main.group()
def translate() -> None:
    """Exchange translations with translators as gettext PO or XLIFF 1.2 files.

    \b
    Examples:
      brochure translate export kratom --lang es -o es.po
      brochure translate import es.po
      brochure translate new kratom pt -o pt.xlf
      brochure translate status
    """


_FORMAT = click.option("--format", "fmt", type=click.Choice(["po", "xliff"]),
                       help="File format; default: from the file's extension (.po, .xlf).")


@translate.command("export", cls=_BrochureCommand)
@click.argument("topic")
@click.option("--lang", "lang", required=True, help="Language code of the translation.")
@_FORMAT
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; default: TOPIC-LANG.po (or .xlf) here.")
def translate_export(topic: str, lang: str, fmt: str | None, out: Path | None) -> None:
    """Write every string of TOPIC (and of its locale's labels) for a translator: the
    English source, the current translation (empty if none), a note on the field's
    purpose and limits, and a fuzzy / needs-review-translation mark where the source
    changed since it was translated.
    """
    from . import api

    out = out or Path(f"{Path(topic).name}-{lang}.{'xlf' if fmt == 'xliff' else 'po'}")
    click.echo(f"wrote {api.translate_export(topic, lang, out, fmt)}")


@translate.command("new", cls=_BrochureCommand)
@click.argument("topic")
@click.argument("lang")
@_FORMAT
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write; default: TOPIC-LANG.po (or .xlf) here.")
def translate_new(topic: str, lang: str, fmt: str | None, out: Path | None) -> None:
    """Start a new language: a file with every source string of TOPIC, ready for a
    translator ('brochure translate import' then writes TOPIC/LANG.yaml)."""
    from . import api

    out = out or Path(f"{Path(topic).name}-{lang}.{'xlf' if fmt == 'xliff' else 'po'}")
    click.echo(f"wrote {api.translate_export(topic, lang, out, fmt, new=True)}")


@translate.command("import", cls=_BrochureCommand)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--topic", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Topic folder to merge into; default: the topic the file names.")
@click.option("--date", "day", help="Date for a new translation's review line "
              "(YYYY-MM-DD); default: today.")
def translate_import(file: Path, topic: Path | None, day: str | None) -> None:
    """Merge a translator's PO or XLIFF FILE back into the topic's YAML files.

    Reports every unit added, changed, confirmed, still fuzzy or rejected, with its line
    in FILE. Units whose placeholders ({date}, {page}), numbers or phone numbers differ
    from the source's are refused (exit status 1); an empty unit never erases a
    translation; with no changes, no file is touched.
    """
    from . import api

    report = api.translate_import(file, topic, _day(day))
    for line in report.messages():
        click.echo(line, err=line.split(": ", 1)[-1].startswith("rejected"))
    click.echo(report.summary())
    if report.rejected:
        raise BrochureError(f"{report.rejected} unit(s) of {file} were refused; fix them "
                            "and import again")


@translate.command("status", cls=_BrochureCommand)
@click.argument("topic", required=False)
def translate_status(topic: str | None) -> None:
    """Per language: how many strings are translated, fuzzy (source changed since) and
    missing, with their share and their source words, like pocount."""
    from . import api

    click.echo(api.translate_status(topic))


@main.group()
def review() -> None:
    """Record reviewers' sign-off of editions."""


@review.command("approve", cls=_BrochureCommand)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "by", required=True, help='The reviewer: "Name, credential".')
@click.option("--date", "day", help="Date of the review (YYYY-MM-DD); default: today.")
def review_approve(file: Path, by: str, day: str | None) -> None:
    """Record that a qualified reviewer checked the edition FILE as it is now: its text,
    its translation against the current source and its locale labels. The edition is
    printed as reviewed ("Reviewed by … on …", no draft mark) until any of them changes.

    \b
    Example:
      brochure review approve content/kratom/es.yaml --by "Ana Pérez, MD" --date 2026-12-01
    """
    from . import api

    record = api.review_approve(file, by, _day(day))
    click.echo(f"approved {file}: version {record['version']}, reviewed by {by}")


# -- batch ------------------------------------------------------------------------------
# The batch modules are imported inside the command, so other commands do not load them.

class _ClinicFilesCommand(_BrochureCommand):
    """``--clinic`` takes several files, as a shell glob gives them
    (``--clinic a.yaml b.yaml`` reads as ``--clinic a.yaml --clinic b.yaml``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        spread: list[str] = []
        for arg in args:
            more = len(spread) >= 2 and spread[-2] == "--clinic" and spread[-1] != "--"
            if more and not arg.startswith("-") and arg.endswith((".yaml", ".yml")):
                spread.append("--clinic")
            spread.append(arg)
        return super().parse_args(ctx, spread)


class _BatchCommand(_ClinicFilesCommand):
    """`batch`: several ``--clinic`` files, and the help ends with the fields of a plan
    file, generated from its schema."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from .batch.plan import plan_help

        with formatter.section("Plan file fields"):
            formatter.write_text("\b\n" + plan_help())


_SHORT_FORM = {"lang": "languages", "layout": "layouts", "paper": "papers",
               "clinics": "clinics", "out": "output", "name": "name"}


@main.command(cls=_BatchCommand)
@click.argument("target", required=False)
@click.option("--lang", "lang", default="en", show_default=True,
              help="Language codes separated by commas, or 'all'.")
@click.option("--layout", "layout", default="all", show_default=True,
              help="Layout names or files separated by commas, or 'all'.")
@click.option("--paper", help="letter, a4 (separated by commas) or 'all'; default: each "
              "layout's own.")
@click.option("--clinic", "clinics", multiple=True,
              help="Clinic profiles: one or more files (a glob such as "
              "content/clinics/*.yaml), or 'all'. Default: none.")
@click.option("-o", "--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder for the PDFs.")
@click.option("--name", help="File name pattern with {topic}, {lang}, {layout}, {clinic} "
              "and {paper}; default: the names 'brochure build' gives.")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Worker processes; default: all cores.")
@click.option("--merge", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every edition into this one PDF, with an outline entry "
              "per edition.")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path),
              help="Where the JSON manifest goes; default: manifest.json in the output "
              "folder.")
@click.option("--force", is_flag=True, help="Rebuild every edition, current or not.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--cluster", metavar="tcp://HOST:8786 | local:N",
              help="Build on a Dask cluster: the scheduler's address, or local:N to start "
              "N worker processes here (pip install 'brochure[cluster]').")
@click.option("--output", "output_url", metavar="URL",
              help="With --cluster: the workers write the PDFs here (a folder they share, "
              "s3://..., any fsspec URL); the manifest stays in the output folder.")
@click.pass_context
def batch(ctx: click.Context, target: str | None, lang: str, layout: str, paper: str | None,
          clinics: tuple[str, ...], out: Path, name: str | None, jobs: int | None,
          merge: Path | None, manifest: Path | None, force: bool, strict: bool,
          cluster: str | None, output_url: str | None) -> None:
    """Build many editions at once, on all cores: TARGET is a plan file (YAML) or a
    topic (name, folder or content file; without it, every topic).

    Only editions whose inputs changed since the last run are rebuilt; one failing
    edition does not stop the others (the exit status is 1 if any failed). At the end
    a summary table is printed and a JSON manifest (one record per edition: inputs and
    their hashes, output, SHA-256, pages, bytes, warnings) is written.

    \b
    Examples:
      brochure batch plan.yaml
      brochure batch kratom --lang all --layout all --clinic content/clinics/*.yaml
      brochure batch kratom --lang en,es --paper all --merge print/all.pdf -j 4
      brochure batch plan.yaml --cluster tcp://scheduler:8786
    """
    from .batch import run as batch_mod
    from .batch.manifest import display
    from .batch.plan import is_plan_file, load_plan, plan_from_options
    from .batch.progress import grouped, summary

    if target and is_plan_file(Path(target)):
        given = [o for o in _SHORT_FORM if ctx.get_parameter_source(o)
                 is not click.core.ParameterSource.DEFAULT]
        if given:
            option = "--clinic" if given[0] == "clinics" else f"--{given[0]}"
            raise click.UsageError(f"{option} cannot be used with a plan file; set "
                                   f"'{_SHORT_FORM[given[0]]}' in {target}")
        plan = load_plan(Path(target))
        plan.merge = merge or plan.merge
        plan.manifest = manifest or plan.manifest
        plan.strict = plan.strict or strict
    else:
        plan = plan_from_options(target, lang, layout, paper, list(clinics), out, name,
                                 manifest, merge, strict)
    if cluster and jobs:
        raise click.UsageError("-j sets the local worker processes; with --cluster the "
                               "cluster's workers build (local:N starts N of them)")
    if output_url and not cluster:
        raise click.UsageError("--output URL needs --cluster; without it, -o/--out "
                               "names the folder")
    if output_url and plan.merge:
        raise click.UsageError("--merge reads the editions here, so it cannot be used "
                               "with --output URL")
    report = batch_mod.run(plan, jobs, force, log=sys.stderr, cluster=cluster,
                           output_url=output_url)
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    def shown(output: str) -> str:  # an output URL as it is, a file relative to here
        return output if output_url else display(plan.manifest.parent / output)

    warnings = [(shown(r.output), w) for r in report.built
                for w in r.warnings]
    if warnings:
        click.echo("warnings:", err=True)
        for line in grouped(warnings):
            click.echo(f"  {line}", err=True)
    if report.failed:
        click.echo("failed:", err=True)
        for line in grouped([(shown(r.output), r.error or "")
                             for r in report.failed]):
            click.echo(f"  {line}", err=True)
    for line in summary(len(report.built), len(report.unchanged), len(report.failed),
                        report.seconds, report.workers, report.not_run):
        click.echo(line)
    click.echo(f"manifest: {display(report.manifest)}"
               + ("" if report.manifest_written else " (unchanged)"))
    if report.merge and report.merged:
        click.echo(f"merged: {display(report.merge)} ({report.merged} of {report.total} "
                   f"editions{'' if report.merge_written else ', unchanged'})")
    if report.interrupted:
        click.echo(f"interrupted: {report.not_run} editions not built; run the same "
                   "command again to build them", err=True)
        ctx.exit(130)
    if report.failed:
        raise BrochureError(f"{len(report.failed)} of {report.total} editions failed")


# -- check ------------------------------------------------------------------------------

@main.command(cls=_BrochureCommand)
@click.argument("targets", nargs=-1)
@click.option("--lang", "lang", default="en", show_default=True,
              help="Language of the editions to build and check, or 'all' (topics only).")
@click.option("--layout", "layout", default="all", show_default=True,
              help="Layout to build with, or 'all'; for a PDF file, the layout it was built "
              "with (default: read from brochure's file name).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any check fails.")
def check(targets: tuple[str, ...], lang: str, layout: str, as_json: bool,
          strict: bool) -> None:
    """Check handouts for health literacy and accessibility: readability of each section
    and of the whole, body text size and text contrast measured in the PDF, reading order
    of its text layer, title, language and outline — each figure against its limit.

    TARGETS are topics (a name, folder or content file), built in memory, or PDF files;
    without TARGETS every topic is checked. A failed check is a warning (exit status 0);
    with --strict it is an error (exit status 1). 'brochure build' runs the same checks.

    \b
    Examples:
      brochure check kratom --lang all
      brochure check out/kratom-en-general.pdf --json
      brochure check handout.pdf --layout general --strict
    """
    from . import api
    from .checks import format_table, to_json

    reports = api.check_targets(list(targets), lang, layout)
    click.echo(to_json(reports) if as_json else format_table(reports))
    failed = sum(len(r.failures) for r in reports)
    if failed and strict:
        raise BrochureError(f"{failed} check{'s' if failed != 1 else ''} failed (--strict)")


# -- serve ------------------------------------------------------------------------------
# The web stack (Flask, waitress) is imported inside the command, so other commands do
# not load it and brochure works without the 'web' extra.

@main.command(cls=_ClinicFilesCommand)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default, loopback, keeps the page on this "
              "computer. 0.0.0.0 opens it to the network (it has no login).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--content", "content_dir",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Content folder whose topics the page offers; default: ./content, then "
              "the built-in sample.")
@click.option("--clinic", "clinics", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Clinic profiles the page offers (one or more files, e.g. "
              "content/clinics/*.yaml); the first is preselected.")
def serve(host: str, port: int, content_dir: Path | None, clinics: tuple[Path, ...]) -> None:
    """Start the counselor page: pick a handout, add a personal line, preview it, then
    download or print the PDF, in a browser.

    Names and notes typed on the page are printed on the handout and never stored:
    PDFs are built in memory and sent; nothing is logged.

    \b
    Examples:
      brochure serve
      brochure serve --clinic content/clinics/*.yaml --port 8080
    """
    try:
        from . import web
    except ImportError as exc:
        raise click.ClickException(f"the web page needs the 'web' extra ({exc.name} is "
                                   "missing): pip install 'brochure[web]'") from None
    web.serve(host=host, port=port, content_dir=content_dir, clinic_files=clinics,
              echo=click.echo)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
