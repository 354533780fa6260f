"""The page's own words in the counselor's language: gettext catalogues in, translators out.

In: the standard gettext catalogues in ``translations/<code>/LC_MESSAGES/messages.po``
(extracted from the templates and the web modules with Babel's ``pybabel extract``, see
``babel.cfg``), and a request's ``Accept-Language`` or its ``ui`` switch. Out: a `Ui`
with ``gettext``/``ngettext`` for the templates, the language's name and direction, and
names of languages and dates in that language (Babel's CLDR locale data).

The catalogues are read with Babel and compiled in memory when the server starts, so
the ``.po`` files are the only copy and there is no build step. English is the source
language: its words are the message ids.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from werkzeug.datastructures import LanguageAccept

TRANSLATIONS = Path(__file__).parent / "translations"
SOURCE = "en"


def N_(message: str) -> str:
    """Mark *message* for the catalogues (``pybabel extract -k N_``); it is translated
    where it is shown."""
    return message


@dataclass(frozen=True)
class Ui:
    """The page's language for one request."""

    code: str  # "es"
    translations: NullTranslations
    draft: bool  # a machine-drafted catalogue, not yet checked by a person

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)

    @property
    def name(self) -> str:
        """The language in its own name: "español"."""
        return language_name(self.code, self.code)

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.text_direction == "rtl" else "ltr"

    def gettext(self, message: str, **values: object) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        text = self.translations.ngettext(singular, plural, n)
        return text % {"num": n, **values}

    def language(self, code: str) -> str:
        """The name of language *code* in the page's language: "tailandés"."""
        return language_name(code, self.code)

    def date(self, day: dt.date) -> str:
        return format_date(day, format="long", locale=self.locale)


def language_name(code: str, in_language: str) -> str:
    """*code*'s name in *in_language*, from CLDR, first letter up as a label starts."""
    try:
        name = Locale.parse(code).get_display_name(Locale.parse(in_language)) or code
    except (ValueError, LookupError):
        return code
    return name[:1].upper() + name[1:]


@cache
def catalogues() -> dict[str, Ui]:
    """Every page language: English, then each catalogue in the translations folder."""
    found = {SOURCE: Ui(SOURCE, NullTranslations(), draft=False)}
    for po_file in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        code = po_file.parent.parent.name
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)  # fuzzy (unchecked) entries are left out, as msgfmt does
        compiled.seek(0)
        draft = "machine-drafted" in (catalog.header_comment or "")
        found[code] = Ui(code, Translations(compiled), draft=draft)
    return found


def choose(switch: str | None, accept_language: LanguageAccept | None) -> Ui:
    """The page language: the ``ui`` switch if it names one, else the browser's best
    match (``es-MX`` counts as ``es``), else English."""
    uis = catalogues()
    if switch in uis:
        return uis[switch]
    for value, _quality in accept_language or ():  # best first
        primary = value.replace("_", "-").split("-")[0].lower()  # "es-MX" is Spanish
        if primary in uis:
            return uis[primary]
    return uis[SOURCE]
