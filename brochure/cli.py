"""The command line: a thin shell over the library API (`brochure.api`).

Each command parses options, makes one library call and prints what happened. A
`BrochureError` becomes a message and exit status 1 here, in one place; usage errors
exit 2 (click's own).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import api, translation
from . import layouts as layouts_mod
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
              help="Language code of the edition, or 'all'.")
@click.option("--layout", "layout", default="all", show_default=True,
              help="Layout name (see 'brochure layouts'), a layout file, or 'all'.")
@click.option("--clinic", type=click.Path(dir_okay=False, path_type=Path),
              help="Clinic profile (YAML) whose name and contact the handout shows.")
@click.option("--paper", type=click.Choice(["letter", "a4"]),
              help="Paper size; default: the layout's own.")
@click.option("-o", "--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder for the PDFs.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def build(topic: str | None, lang: str, layout: str, clinic: Path | None, paper: str | None,
          out: Path, strict: bool) -> None:
    """Build PDF handouts of TOPIC (a topic name, folder or content file).

    Without TOPIC, every topic in ./content (or the built-in sample) is built.

    \b
    Examples:
      brochure build
      brochure build kratom --lang en --layout general --paper a4
      brochure build content/kratom/en.yaml --layout clinic --clinic content/clinics/example.yaml
    """
    results = api.build(topic, languages=lang, layouts=layout, clinic=clinic, paper=paper,
                        out_dir=out, strict=strict)
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
    for line in api.validate(list(paths), strict):
        click.echo(line, err=line.startswith("warning:"))


@main.command(cls=_BrochureCommand)
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
def stamp(files: tuple[Path, ...]) -> None:
    """Record that translation FILES are up to date with their source edition.

    Run it after a translator has brought a file in line with the current source: it
    stores a fingerprint of every source string under 'translation: source_hashes', so a
    later change to the source shows up as a stale field.

    \b
    Example:
      brochure stamp content/kratom/es.yaml
    """
    for file in files:
        count = translation.stamp(file)
        click.echo(f"stamped {file}: {count} source strings")


@main.command(cls=_BrochureCommand)
def layouts() -> None:
    """List the layouts that can be used, one line each.

    \b
    Example:
      brochure layouts
    """
    for name in layouts_mod.available():
        layout = layouts_mod.load_layout(name)
        click.echo(f"{name:<12} {layout.description}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
