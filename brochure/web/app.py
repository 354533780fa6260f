"""The counselor page as a Flask app: requests in, the page, previews and PDFs out.

Routes:

* ``GET /`` — the page, in the browser's language (``Accept-Language``) or the one the
  ``ui`` switch names; its choices may be preset with ``?topic=&lang=&layout=&clinic=``
  (the name and note are never read from the address).
* ``POST /preview`` — the form's fields in; JSON out: page count, language, direction,
  title, status line, review state and a JPEG picture (data URL) per page. Errors: JSON with a
  4xx status and each problem under the field it concerns; a preview superseded by a
  newer one from the same page is dropped (409).
* ``POST /pdf`` — the form's fields in; the PDF out, as a download (``as=download``) or
  to open in the browser for printing (``as=print``). Without JavaScript the same form
  also shows a preview (``as=preview``, the form's default button, so Enter never
  downloads), clears the personal line (``as=clear``) or switches the page's language
  (``as=ui``): the page comes back with every typed value and each problem beside its
  field, so nothing typed is lost.
* ``GET /fonts.css``, ``GET /fonts/<language>.ttf`` — the handouts' own fonts, so every
  language name and the page in every language draw without system fonts.

Every POST must carry the page's token and come from this origin (`guard`). Personal
data (name, note) arrives only in request bodies, is checked, printed on the page of a PDF
built in memory, and dropped with the response: it is never written to disk, logged or
cached (every response says ``Cache-Control: no-store``); only the page it was typed on
gets it back, in its form.
"""

from __future__ import annotations

import base64
import logging
import re
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from flask import Flask, Response, abort, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import BrochureError
from ..source.model import Personal
from .cancel import Generations, Superseded
from .catalogue import Catalogue, Language, layout_label, load_catalogue
from .choice import NO_CLINIC, Choice, ChoiceError, FieldProblem, parse_choice
from .editions import Built, Editions
from .guard import Guard
from .i18n import N_, Ui, catalogues, choose

MAX_REQUEST_BYTES = 16 * 1024  # a form with a 500-character note is far smaller
PERSONAL_FIELDS = {"prepared-for": "name", "note": "note"}
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; "
        "img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_GLYPH = re.compile(r"the character '(.)' \(U\+([0-9A-F]{4,6})")

log = logging.getLogger(__name__)


def create_app(content_dir: Path | None = None, clinic_files: Iterable[Path] = (),
               trusted_hosts: list[str] | None = None, workers: int = 0) -> Flask:
    """The app for *content_dir* (default: ./content, then the built-in sample) and the
    clinic profiles *clinic_files*; with *trusted_hosts*, requests naming another host
    are refused (a guard against DNS rebinding when serving on loopback). With
    *workers*, editions are built in that many worker processes (``brochure serve``
    uses one per core); ``app.extensions["brochure"].close()`` stops them.

    Raises `BrochureError` when the content has no topic or a clinic file is invalid.
    """
    app = Flask(__name__)
    # Werkzeug refuses a longer body (413) before reading it, and keeps form fields in
    # memory up to the same size; files are never accepted.
    app.config.update(MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
                      MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES, MAX_FORM_PARTS=64)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    catalogue = load_catalogue(content_dir, list(clinic_files))
    editions = Editions(catalogue, workers=workers)
    guard = Guard()
    generations = Generations()
    app.extensions["brochure"] = editions
    app.extensions["brochure-guard"] = guard
    catalogues()  # read the page's catalogues now: a broken one stops the server at start

    trusted = {h.lower() for h in trusted_hosts or ()}

    @app.before_request
    def known_host() -> None:
        # Werkzeug's own TRUSTED_HOSTS check cannot match an IPv6 literal such as [::1].
        if trusted and host_name(request.headers.get("Host", "")) not in trusted:
            abort(400, "This page answers only at its own address (the one 'brochure serve' "
                       "printed).")

    @app.before_request
    def same_origin() -> Response | tuple[Response, int] | tuple[str, int] | None:
        if request.method != "POST":
            return None
        if request.files:
            abort(400, "Files are not accepted here.")
        refusal = guard.refusal(request.form, request.headers, request.host_url)
        if refusal is None:
            return None
        problems = [FieldProblem("form", refusal)]
        if request.endpoint == "preview":
            return _json_error(ui_of(), problems, 403)
        return render_page(ui_of(), problems=problems, form=request.form, status=403)

    def ui_of() -> Ui:
        switch = request.form.get("ui") if request.method == "POST" else request.args.get("ui")
        return choose(switch, request.accept_languages)

    def render_page(ui: Ui, *, form: Mapping[str, str], problems: list[FieldProblem] = (),
                    built: Built | None = None, line: str | None = None,
                    status: int = 200, personal: bool = True) -> tuple[str, int]:
        """The page, its form filled from *form* (what the counselor typed), each problem
        beside its field and, with *built*, the preview's pictures."""
        choice = _kept_choice(form, catalogue)
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            field = problem.field if problem.field in _SHOWN_FIELDS else "form"
            by_field.setdefault(field, []).append(problem.text(ui.gettext))
        client, token = guard.new_client()
        values = {"name": form.get("name", "") if personal else "",
                  "note": form.get("note", "") if personal else "",
                  "grayscale": bool(form.get("grayscale")), "qr": bool(form.get("qr"))}
        html = render_template(
            "page.html", catalogue=catalogue, choice=choice, no_clinic=NO_CLINIC, ui=ui,
            uis=catalogues(), _=ui.gettext, ngettext=ui.ngettext, values=values,
            problems=by_field, built=built, pictures=_data_urls(built) if built else [],
            status_line=line,
            review=review_of(ui, choice.topic.languages[choice.lang]),
            client=client, token=token, max_name=Personal.MAX_NAME,
            max_note=Personal.MAX_NOTE)
        return html, status

    @app.get("/")
    def page() -> tuple[str, int]:
        ui = ui_of()
        try:
            parse_choice(request.args, catalogue, personal=False)
        except ChoiceError as exc:
            return render_page(ui, form={}, problems=exc.problems, status=400)
        return render_page(ui, form=request.args, personal=False)

    @app.post("/preview")
    def preview() -> tuple[Response, int] | Response:
        ui = ui_of()
        try:
            client, number = request.form.get("client", ""), request.form.get("seq")
            still_wanted = (generations.begin(client, _number(number)) if number
                            else _no_check)
            choice = parse_choice(request.form, catalogue)
            built = editions.preview(choice, still_wanted)
        except Superseded:
            return jsonify(superseded=True), 409
        except ChoiceError as exc:
            return _json_error(ui, exc.problems, 400)
        except BrochureError as exc:
            return _json_error(ui, *_brochure_problems(exc))
        language = choice.topic.languages[choice.lang]
        return jsonify(
            topic=choice.topic.name, language=choice.lang, also=choice.also or "",
            direction=language.direction,
            title=language.title, layout=choice.layout, pages=built.pages,
            personalised=choice.personal, status=status_line(ui, choice, built),
            review=review_of(ui, language), images=_data_urls(built))

    @app.post("/pdf")
    def pdf() -> Response | tuple[str, int]:
        ui = ui_of()
        action = request.form.get("as", "download")
        if action == "clear":
            return render_page(ui, form=request.form, personal=False)
        if action == "ui":
            return render_page(ui, form=request.form)
        try:
            choice = parse_choice(request.form, catalogue)
            built = editions.preview(choice) if action == "preview" else editions.pdf(choice)
        except ChoiceError as exc:
            return render_page(ui, form=request.form, problems=exc.problems, status=400)
        except BrochureError as exc:
            problems, status = _brochure_problems(exc)
            return render_page(ui, form=request.form, problems=problems, status=status)
        if action == "preview":
            return render_page(ui, form=request.form, built=built,
                               line=status_line(ui, choice, built))
        disposition = "inline" if action == "print" else "attachment"
        return Response(built.pdf, mimetype="application/pdf", headers={
            "Content-Disposition": f'{disposition}; filename="{choice.file_name}"',
            "Content-Length": str(len(built.pdf))})

    @app.get("/fonts/<language>.ttf")
    def font(language: str) -> Response:
        if language not in _font_languages(catalogue):
            abort(404)
        try:
            file = editions.font_file(language)
        except BrochureError:
            abort(404)
        return Response(file.read_bytes(), mimetype="font/ttf",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/fonts.css")
    def fonts_css() -> Response:
        css = render_template("fonts.css", languages=_font_languages(catalogue))
        return Response(css, mimetype="text/css")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response, int] | tuple[str, int]:
        ui = choose(request.args.get("ui"), request.accept_languages)
        message = (ui.gettext(N_("The request is too large: the note may have at most "
                                 "%(limit)s characters."), limit=Personal.MAX_NOTE)
                   if exc.code == 413 else exc.description or exc.name)
        if request.path == "/preview":
            return _json_error(ui, [FieldProblem("form", message)], exc.code or 400)
        return _error_page(ui, [message], exc.code or 400)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Response, int] | tuple[str, int]:
        # The message of an unexpected error may quote text of the page being built,
        # which may be a person's name: log where it happened, not what it said.
        frames = traceback.extract_tb(exc.__traceback__)
        where = ", ".join(f"{Path(f.filename).name}:{f.lineno}" for f in frames[-3:])
        log.error("%s while handling %s %s (at %s; message withheld: it may contain "
                  "personal data)", type(exc).__name__, request.method, request.path, where)
        ui = choose(None, request.accept_languages)
        problem = FieldProblem("form", N_("Something went wrong while building this "
                                          "handout. Please try again."))
        if request.path == "/preview":
            return _json_error(ui, [problem], 500)
        if request.path == "/pdf" and request.method == "POST":
            try:  # the form again, with what was typed, so nothing is lost
                return render_page(ui, form=request.form, problems=[problem], status=500)
            except Exception:  # noqa: BLE001 - fall back to the plain error page
                pass
        return _error_page(ui, [problem.text(ui.gettext)], 500)

    @app.after_request
    def headers(response: Response) -> Response:
        if request.endpoint not in ("static", "font", "fonts_css"):
            response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Same-origin requests name their origin (the guard checks it); other sites learn
        # nothing of the page's address.
        response.headers["Referrer-Policy"] = "same-origin"
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = _CSP
        return response

    return app


def _kept_choice(form: Mapping[str, str], catalogue: Catalogue) -> Choice:
    """The choices as sent, to fill the page again (the QR box's and the second
    language's own problems are shown beside them, the choices kept); a choice the page
    does not offer at all gives the page's defaults."""
    fields = {k: v for k, v in form.items() if k not in ("qr", "also")}
    try:
        choice = parse_choice(fields, catalogue, personal=False)
    except ChoiceError:
        return parse_choice({}, catalogue, personal=False)
    also = form.get("also")
    if also and also in choice.topic.languages:
        choice = replace(choice, also=also)
    return choice


_SHOWN_FIELDS = ("topic", "lang", "also", "layout", "clinic", "paper", "name", "note", "qr",
                 "form")


def status_line(ui: Ui, choice: Choice, built: Built) -> str:
    """"Preview ready: 5 pages, Español, General, with the personal line." in the page's
    language."""
    language = " + ".join(choice.topic.languages[code].name
                          for code in choice.languages.split("+"))
    layout = ui.gettext(layout_label(choice.layout))
    pages = ui.ngettext("%(num)s page", "%(num)s pages", built.pages)
    if choice.personal:
        return ui.gettext(N_("Preview ready: %(pages)s, %(language)s, %(layout)s, with the "
                             "personal line."), pages=pages, language=language,
                          layout=layout)
    return ui.gettext(N_("Preview ready: %(pages)s, %(language)s, %(layout)s."),
                      pages=pages, language=language, layout=layout)


def review_of(ui: Ui, language: Language) -> dict[str, object]:
    """The edition's review state as the page shows it: status, date, draft, note."""
    draft = language.review != "reviewed"
    status = (ui.gettext(N_("Draft: not yet checked by a qualified reviewer."))
              if draft else ui.gettext(N_("Reviewed.")))
    # A draft was checked, not reviewed: the page says what the handout says.
    date = (ui.gettext(N_("Information checked on %(date)s"),
                       date=ui.date(language.last_reviewed))
            if language.last_reviewed else "")
    return {"draft": draft, "status": status, "date": date, "note": language.review_note or "",
            "lang": language.code, "dir": language.direction}


def _font_languages(catalogue: Catalogue) -> list[str]:
    """Languages whose handout font the page serves: the editions' and the page's own."""
    return list(dict.fromkeys([*catalogue.languages, *catalogues()]))


def _no_check() -> None:
    """A preview sent without a number (no JavaScript) cannot be superseded."""


def _number(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _data_urls(built: Built) -> list[str]:
    return ["data:image/jpeg;base64," + base64.b64encode(p).decode("ascii")
            for p in built.pictures]


def host_name(header: str) -> str:
    """The host of a ``Host`` header, without its port: ``[::1]:8000`` → ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _brochure_problems(exc: BrochureError) -> tuple[list[FieldProblem], int]:
    """Problems and status for a library error: a name or note the fonts cannot print is
    the request's problem (400), shown beside its field; anything else is the content's
    (500)."""
    problems = exc.problems
    if problems and all(p.field in PERSONAL_FIELDS for p in problems):
        out, letters = [], {}
        for p in problems:
            glyph = _GLYPH.search(p.message)
            if glyph:  # name the characters, never the person's text around them
                found = letters.setdefault(PERSONAL_FIELDS[p.field], {})
                found.setdefault(f"{glyph.group(1)!r} (U+{glyph.group(2)})", None)
            else:
                out.append(FieldProblem(PERSONAL_FIELDS[p.field], "%(message)s",
                                        (("message", p.message),)))
        for field, chars in letters.items():
            out.append(FieldProblem(field, N_(
                "The handout's fonts cannot print %(chars)s: leave them out or write them "
                "another way."), (("chars", ", ".join(chars)),)))
        return out, 400
    lines = [FieldProblem("form", "%(message)s", (("message", str(p)),)) for p in problems]
    return [FieldProblem("form", N_("This edition cannot be built:")),
            *(lines or [FieldProblem("form", "%(message)s", (("message", str(exc)),))])], 500


def _json_error(ui: Ui, problems: list[FieldProblem], status: int) -> tuple[Response, int]:
    texts = [p.text(ui.gettext) for p in problems]
    fields: dict[str, list[str]] = {}
    for problem, text in zip(problems, texts, strict=True):
        field = problem.field if problem.field in _SHOWN_FIELDS else "form"
        fields.setdefault(field, []).append(text)
    return jsonify(error=texts[0], problems=texts, fields=fields), status


def _error_page(ui: Ui, problems: list[str], status: int) -> tuple[str, int]:
    return render_template("error.html", problems=problems, status=status, ui=ui,
                           _=ui.gettext), status
