"""The counselor page as a Flask app: requests in, the page, previews and PDFs out.

Routes:

* ``GET /`` — the page (its choices may be preset with ``?topic=&lang=&layout=&clinic=``;
  the name and note are never read from the address).
* ``POST /preview`` — the form's fields in; JSON out: page count, language, direction,
  title and a PNG (data URL) per page. Errors: JSON with a 4xx status.
* ``POST /pdf`` — the form's fields in; the PDF out, as a download (``as=download``) or
  to open in the browser for printing (``as=print``). Errors: an HTML page, 4xx.
* ``GET /fonts.css``, ``GET /fonts/<language>.ttf`` — the handouts' own fonts, so the
  page shows handout text (language names, titles) as the handout prints it.

Personal data (name, note) arrives only in request bodies, is checked, printed on the
page of a PDF built in memory, and dropped with the response: it is never written to
disk, logged, cached (every response says ``Cache-Control: no-store``) or echoed back.
"""

from __future__ import annotations

import base64
import logging
import traceback
from collections.abc import Iterable
from pathlib import Path

from flask import Flask, Response, abort, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import BrochureError
from .catalogue import load_catalogue
from .choice import NO_CLINIC, ChoiceError, parse_choice
from .editions import Editions

MAX_REQUEST_BYTES = 16 * 1024  # a form with a 500-character note is far smaller
PERSONAL_FIELDS = ("prepared-for", "note")
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; "
        "img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

log = logging.getLogger(__name__)


def create_app(content_dir: Path | None = None, clinic_files: Iterable[Path] = (),
               trusted_hosts: list[str] | None = None) -> Flask:
    """The app for *content_dir* (default: ./content, then the built-in sample) and the
    clinic profiles *clinic_files*; with *trusted_hosts*, requests naming another host
    are refused (a guard against DNS rebinding when serving on loopback).

    Raises `BrochureError` when the content has no topic or a clinic file is invalid.
    """
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    catalogue = load_catalogue(content_dir, list(clinic_files))
    editions = Editions(catalogue)
    app.extensions["brochure"] = editions

    trusted = {h.lower() for h in trusted_hosts or ()}

    @app.before_request
    def known_host() -> None:
        # Werkzeug's own TRUSTED_HOSTS check cannot match an IPv6 literal such as [::1].
        if trusted and host_name(request.headers.get("Host", "")) not in trusted:
            abort(400, "This page answers only at its own address (the one 'brochure serve' "
                       "printed).")

    @app.get("/")
    def page() -> Response | tuple[str, int]:
        try:
            choice = parse_choice(request.args, catalogue, personal=False)
        except ChoiceError as exc:
            return _error_page(exc.problems, 400)
        return Response(render_template("page.html", catalogue=catalogue, choice=choice,
                                        no_clinic=NO_CLINIC))

    @app.post("/preview")
    def preview() -> tuple[Response, int] | Response:
        try:
            choice = parse_choice(request.form, catalogue)
            built = editions.preview(choice)
        except ChoiceError as exc:
            return _json_error(exc.problems, 400)
        except BrochureError as exc:
            return _json_error(*_brochure_problems(exc))
        language = choice.topic.languages[choice.lang]
        return jsonify(
            topic=choice.topic.name, language=choice.lang, direction=language.direction,
            title=language.title, layout=choice.layout, pages=built.pages,
            personalised=choice.personal,
            images=["data:image/png;base64," + base64.b64encode(p).decode("ascii")
                    for p in built.pictures])

    @app.post("/pdf")
    def pdf() -> Response | tuple[str, int]:
        try:
            choice = parse_choice(request.form, catalogue)
            built = editions.pdf(choice)
        except ChoiceError as exc:
            return _error_page(exc.problems, 400)
        except BrochureError as exc:
            return _error_page(*_brochure_problems(exc))
        disposition = "inline" if request.form.get("as") == "print" else "attachment"
        return Response(built.pdf, mimetype="application/pdf", headers={
            "Content-Disposition": f'{disposition}; filename="{choice.file_name}"',
            "Content-Length": str(len(built.pdf))})

    @app.get("/fonts/<language>.ttf")
    def font(language: str) -> Response:
        if language not in catalogue.languages:
            abort(404)
        try:
            file = editions.font_file(language)
        except BrochureError:
            abort(404)
        return Response(file.read_bytes(), mimetype="font/ttf",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/fonts.css")
    def fonts_css() -> Response:
        css = render_template("fonts.css", languages=list(catalogue.languages))
        return Response(css, mimetype="text/css")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response, int] | tuple[str, int]:
        message = {413: "The request is too large: the note may have at most 500 "
                        "characters."}.get(exc.code or 0, exc.description or exc.name)
        if request.path == "/preview":
            return _json_error([message], exc.code or 400)
        return _error_page([message], exc.code or 400)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> tuple[Response, int] | tuple[str, int]:
        # The message of an unexpected error may quote text of the page being built,
        # which may be a person's name: log where it happened, not what it said.
        frames = traceback.extract_tb(exc.__traceback__)
        where = ", ".join(f"{Path(f.filename).name}:{f.lineno}" for f in frames[-3:])
        log.error("%s while handling %s %s (at %s; message withheld: it may contain "
                  "personal data)", type(exc).__name__, request.method, request.path, where)
        message = "Something went wrong while building this handout. Please try again."
        if request.path == "/preview":
            return _json_error([message], 500)
        return _error_page([message], 500)

    @app.after_request
    def headers(response: Response) -> Response:
        if request.endpoint not in ("static", "font"):
            response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = _CSP
        return response

    return app


def host_name(header: str) -> str:
    """The host of a ``Host`` header, without its port: ``[::1]:8000`` → ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _brochure_problems(exc: BrochureError) -> tuple[list[str], int]:
    """Messages and status for a library error: a name or note the fonts cannot print is
    the request's problem (400); anything else is the content's (500)."""
    problems = exc.problems
    if problems and all(p.field in PERSONAL_FIELDS for p in problems):
        return [f"{'name' if p.field == 'prepared-for' else p.field}: {p.message}"
                for p in problems], 400
    lines = [str(p) for p in problems] or [str(exc)]
    return ["This edition cannot be built:", *lines], 500


def _json_error(problems: list[str], status: int) -> tuple[Response, int]:
    return jsonify(error=problems[0], problems=problems), status


def _error_page(problems: list[str], status: int) -> tuple[str, int]:
    return render_template("error.html", problems=problems, status=status), status

