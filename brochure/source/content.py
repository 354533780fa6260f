"""Content files → validated `model.Content`.

In: a topic folder (``content/<topic>/<lang>.yaml``) or one content file, and the locale
file of its language (``content/locales/<lang>.yaml``) that holds every label a handout
prints that is not content ("Page 2 of 3", column headings). Out: a `Content` with the
topic's own ``labels`` merged over the locale's. Every problem of a file is reported at
once, each with file, line, column and key path.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ContentError, Problem
from . import model
from . import review as review_mod
from .schema import (
    MISSING,
    Bool,
    Choice,
    Context,
    Date,
    Field,
    ListOf,
    MapOf,
    Number,
    OneOf,
    Record,
    Str,
)
from .yamlsource import Node, load_yaml

CELL_MAX = 3000  # the longest text a single table cell or paragraph may hold


def _wording_from_map(plain: str | None, clinical: str | None) -> model.Wording:
    return model.Wording(plain or clinical or "", clinical or plain or "")


def _need_one_wording(value: model.Wording, node: Node, path: str, ctx: Context) -> None:
    if not value.plain:
        ctx.add(node, path, "needs a 'plain' or a 'clinical' wording (or plain text)")


_WORDING_MAP = Record(
    "wording",
    {
        "plain": Field(Str(CELL_MAX), "everyday words for general readers", False),
        "clinical": Field(Str(CELL_MAX), "clinical wording for clinicians", False),
    },
    _wording_from_map,
    _need_one_wording,
)


class _TextAsWording(Str):
    def read(self, node: Node, path: str, ctx: Context) -> object:
        text = super().read(node, path, ctx)
        return MISSING if text is MISSING else model.Wording(text, text)


TEXT = OneOf(
    (lambda v: isinstance(v, dict), _WORDING_MAP),
    (lambda v: not isinstance(v, dict | list), _TextAsWording(CELL_MAX)),
    expects="text, or a mapping with 'plain' and/or 'clinical' text",
)

SHORT = Str(300)
SLUG = Str(60, r"[a-z0-9][a-z0-9-]*", "lower-case letters, digits and hyphens")
LANG = Str(20, r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", "a language tag such as en, es or pt-BR")

class _TextOr(OneOf):
    """Plain text (or a plain/clinical mapping) wrapped by *wrap*, or a richer mapping
    read by the *richer* spec when *is_richer* says the value is one."""

    def __init__(self, wrap, is_richer, richer: Record, expects: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__((is_richer, richer), (lambda v: True, TEXT), expects=expects)
        self.wrap = wrap

    def read(self, node: Node, path: str, ctx: Context) -> object:
        value = super().read(node, path, ctx)
        return self.wrap(value) if isinstance(value, model.Wording) else value


BULLET = _TextOr(
    lambda text: model.BulletItem(text=text),
    lambda v: isinstance(v, dict) and "term" in v,
    Record("bullet", {
        "term": Field(TEXT, "bold lead-in, e.g. 'Capsules'"),
        "text": Field(TEXT, "the rest of the bullet"),
    }, lambda term, text: model.BulletItem(text=text, term=term)),
    expects="text, or a mapping with 'term' and 'text'",
)

BLOCK = _TextOr(
    lambda text: model.Block(text=text),
    lambda v: isinstance(v, dict) and "bullets" in v,
    Record("bullet list", {"bullets": Field(ListOf(BULLET, 1), "the list's items")},
           lambda bullets: model.Block(items=tuple(bullets))),
    expects="a paragraph (text) or a mapping with 'bullets'",
)


POSITIONS = ("intro", "benefits", "side_effects", "safety", "how_to_use", "end")

SECTION = Record("section", {
    "id": Field(SLUG, "a short name for the section, unique in the file"),
    "heading": Field(TEXT, "the section's heading"),
    "body": Field(ListOf(BLOCK, 1),
                  "paragraphs and bullet lists"),
    "position": Field(Choice(*POSITIONS), "which part of the handout it follows "
                      "(intro: before the benefits)", False, "intro"),
    "audience": Field(Choice("all", "plain", "clinical"), "which wording shows the "
                      "section: all, plain (general readers) or clinical", False, "all"),
    "kind": Field(Choice("text", "checklist"), "text, or checklist: its bullets print as "
                  "tick boxes for the reader to mark", False, "text"),
}, lambda id, heading, body, position, audience, kind: model.Section(
    id, heading, tuple(body), position, audience, kind))

BENEFIT = Record("benefit", {
    "benefit": Field(TEXT, "the possible benefit, e.g. 'Pain relief'"),
    "mechanism": Field(TEXT, "how it may work"),
    "evidence": Field(TEXT, "what the evidence says, as the source says it"),
    "evidence_level": Field(Choice(*model.EVIDENCE_LEVELS), "how strong the evidence is"),
}, lambda benefit, mechanism, evidence, evidence_level: model.Benefit(
    benefit, mechanism, evidence, evidence_level))

SIDE_EFFECT = Record("side effect", {
    "name": Field(TEXT, "the side effect"),
    "description": Field(TEXT, "what it is like, how often, what to do"),
}, model.SideEffect)

INTERACTION = Record("interaction", {
    "substance": Field(TEXT, "what not to combine it with"),
    "risk": Field(TEXT, "why the combination is dangerous"),
}, model.Interaction)

HELP_LINE = Record("help line", {
    "name": Field(TEXT, "who answers, e.g. 'Poison Help line'"),
    "phone": Field(Str(40), "the number to call"),
    "note": Field(TEXT, "when to call, hours, cost", False),
}, model.HelpLine)

SOURCE = Record("source", {
    "title": Field(Str(500), "title of the source"),
    "publisher": Field(SHORT, "who published it", False),
    "url": Field(Str(500), "where to find it", False),
    "note": Field(TEXT, "what was taken from it, and how far it can be trusted", False),
    "lang": Field(LANG, "the title's language where it is not the edition's (an English "
                  "title in the Spanish edition: en), for screen readers", False),
}, model.Source)


def _nonempty_table(what: str):  # noqa: ANN202 - a small check factory
    def check(value: object, node: Node, path: str, ctx: Context) -> None:
        rows = getattr(value, what)
        if not rows:
            ctx.add(node, f"{path}.{what}", "is empty; a table needs at least one row")
    return check


PRECAUTION = Record("precaution", {
    "level": Field(Choice(*model.PRECAUTION_LEVELS), "do-not-use (who must not use it) "
                   "or ask-first (who should ask a doctor or pharmacist first)"),
    "items": Field(ListOf(TEXT, 1), "the people or conditions at this level"),
}, lambda level, items: model.Precaution(level, tuple(items)))

DOSE_NUMBER = Number(0, 100000)
DOSE = Record("dose", {
    "who": Field(TEXT, "who this dose is for, e.g. 'Adults and children 12 and over'"),
    "amount": Field(DOSE_NUMBER, "how much one dose is, as a number (copied unchanged "
                    "into every translation)"),
    "unit": Field(Str(20), "the unit of the amount, e.g. mg or mL (the same in every "
                  "language)"),
    "form": Field(TEXT, "what one dose is in the hand, e.g. '1 spray in one nostril'",
                  False),
    "every_hours": Field(DOSE_NUMBER, "hours between doses, as a number", False),
    "max_per_day": Field(DOSE_NUMBER, "the most in 24 hours, in the same unit, as a "
                         "number", False),
    "note": Field(TEXT, "anything else about this dose", False),
}, model.Dose)


def _how_to_use_not_empty(value: model.HowToUse, node: Node, path: str, ctx: Context
                          ) -> None:
    if not (value.intro or value.steps or value.doses or value.device):
        ctx.add(node, path, "is empty; give at least one of intro, steps, doses, device "
                            "(or leave how_to_use out)")


HOW_TO_USE = Record("how to use", {
    "intro": Field(TEXT, "a sentence before the steps", False),
    "steps": Field(ListOf(TEXT, 1), "what to do, in order (printed as a numbered list)",
                   False, []),
    "doses": Field(ListOf(DOSE, 1), "how much and how often, with numbers as data",
                   False, []),
    "device": Field(TEXT, "the measuring device or sprayer to use", False),
}, lambda intro, steps, doses, device: model.HowToUse(
    intro, tuple(steps or ()), tuple(doses or ()), device), _how_to_use_not_empty)

BENEFITS = Record("benefits", {
    "intro": Field(TEXT, "a sentence before the table", False),
    "rows": Field(ListOf(BENEFIT, 1), "one row per possible benefit"),
}, lambda intro, rows: model.Benefits(intro, tuple(rows)), _nonempty_table("rows"))

SIDE_EFFECTS = Record("side effects", {
    "intro": Field(TEXT, "a sentence before the table", False),
    "common": Field(ListOf(SIDE_EFFECT, 1), "side effects many people get"),
    "serious": Field(ListOf(SIDE_EFFECT, 1), "rare but serious side effects"),
}, lambda intro, common, serious: model.SideEffects(intro, tuple(common), tuple(serious)))

def _make_safety(intro, emergency_signs, emergency_action, warnings, interactions,  # type: ignore[no-untyped-def]
                 precautions, avoid_if, help_lines) -> model.Safety:
    groups = list(precautions or ())
    if avoid_if:  # the older field: one do-not-use group
        groups.insert(0, model.Precaution("do-not-use", tuple(avoid_if)))
    return model.Safety(intro, tuple(emergency_signs or ()), emergency_action,
                        tuple(warnings or ()), tuple(interactions or ()), tuple(groups),
                        tuple(help_lines or ()))


def _check_safety(value: model.Safety, node: Node, path: str, ctx: Context) -> None:
    fields = node.value
    if not value.warnings and not value.emergency_signs:
        ctx.add(node, path, "needs 'warnings' or 'emergency_signs' (or both): a handout "
                            "must say what to watch out for")
    if value.emergency_signs and value.emergency_action is None:
        ctx.add(node, _join(path, "emergency_signs"), "needs 'emergency_action' beside "
                "it: what to do when the signs appear, e.g. 'Call 911'")
    if value.emergency_action is not None and not value.emergency_signs:
        ctx.add(fields["emergency_action"], _join(path, "emergency_action"),
                "needs 'emergency_signs' beside it: the signs that call for the action")
    if "avoid_if" in fields and "precautions" in fields:
        ctx.add(fields["avoid_if"], _join(path, "avoid_if"), "is the older name of a "
                "do-not-use group; with 'precautions' present, move these items into a "
                "precautions entry with 'level: do-not-use'")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


SAFETY = Record("safety", {
    "intro": Field(TEXT, "a sentence before the safety facts", False),
    "emergency_signs": Field(ListOf(TEXT, 1), "signs that mean: get emergency help now",
                             False, []),
    "emergency_action": Field(TEXT, "what to do when they appear, e.g. 'Call 911' "
                              "(required with emergency_signs)", False),
    "warnings": Field(ListOf(TEXT, 1), "general warnings", False, []),
    "interactions": Field(ListOf(INTERACTION, 1), "dangerous combinations", False, []),
    "precautions": Field(ListOf(PRECAUTION, 1), "who must not use it (level "
                         "do-not-use) and who should ask first (level ask-first)",
                         False, []),
    "avoid_if": Field(ListOf(TEXT, 1), "older name of one do-not-use precaution group",
                      False, []),
    "help_lines": Field(ListOf(HELP_LINE, 1), "numbers to call", False, []),
}, _make_safety, _check_safety)


def _check_review(value: model.Review, node: Node, path: str, ctx: Context) -> None:
    if value.checked_on is None and value.last_reviewed is None:
        ctx.add(node, path, "needs 'checked_on': the date the information was checked, "
                            "written YYYY-MM-DD")
    if value.next_review is not None and value.next_review <= value.checked:
        ctx.add(node.value["next_review"], _join(path, "next_review"),
                f"is {value.next_review.isoformat()}, not after checked_on "
                f"({value.checked.isoformat()}); the next review comes later")


REVIEW = Record("review", {
    "status": Field(Choice("draft", "reviewed"), "draft until a qualified reviewer "
                    "has checked this language edition"),
    "checked_on": Field(Date(), "when the information was checked, YYYY-MM-DD (printed "
                        "in the language's own date format)", False),
    "next_review": Field(Date(), "when the information is due to be checked again",
                         False),
    "machine_assisted": Field(Bool(), "true when the translation was drafted with "
                              "machine help: every page says so", False, False),
    "last_reviewed": Field(Date(), "older name of checked_on (used when checked_on is "
                           "absent)", False),
    "note": Field(Str(500), "who reviewed it, or why it is a draft", False),
}, lambda status, checked_on, next_review, machine_assisted, last_reviewed, note:
    model.Review(status, last_reviewed, note, checked_on=checked_on,
                 next_review=next_review, machine_assisted=bool(machine_assisted)),
    _check_review)

TRANSLATION = Record("translation", {
    "source": Field(LANG, "language code of the edition this was translated from"),
    "source_hashes": Field(MapOf(Str(64)), "fingerprint of each source string when it "
                           "was translated (written by 'brochure translation stamp')",
                           False, {}),
}, lambda source, source_hashes: model.Translation(source, dict(source_hashes or {})))

CONTENT_FIELDS = {
    "topic": Field(SLUG, "the topic's short name, e.g. 'kratom'"),
    "language": Field(LANG, "language of this file, e.g. 'en'"),
    "title": Field(TEXT, "the handout's title"),
    "subtitle": Field(TEXT, "one line under the title", False),
    "review": Field(REVIEW, "review status and date"),
    "translation": Field(TRANSLATION, "for translations: what it was made from", False),
    "sign_off": Field(ListOf(review_mod.SIGN_OFF), "reviewers' approvals, oldest first "
                      "(written by 'brochure review approve')", False, []),
    "keywords": Field(ListOf(SHORT), "words for the PDF's metadata", False, []),
    "key_points": Field(ListOf(TEXT, 1, 8), "the few facts a reader must take away, "
                        "most urgent first"),
    "sections": Field(ListOf(SECTION), "free text sections", False, []),
    "benefits": Field(BENEFITS, "the benefits table", False),
    "side_effects": Field(SIDE_EFFECTS, "the side-effects table", False),
    "safety": Field(SAFETY, "warnings, interactions, precautions, get help now"),
    "how_to_use": Field(HOW_TO_USE, "how to take or give it: steps, doses (numbers as "
                        "data), device", False),
    "sources": Field(ListOf(SOURCE, 1), "where the claims come from"),
    "disclaimer": Field(TEXT, "what this handout is not (e.g. not medical advice)"),
    "url": Field(Str(500, r"https?://\S+", "a web address starting with http:// or https://"),
                 "where this handout is online: printed as a QR code where the layout "
                 "has one", False),
    "labels": Field(MapOf(OneOf(
        (lambda v: isinstance(v, dict), MapOf(SHORT)),
        (lambda v: True, SHORT), expects="text")),
        "labels that override the locale's for this topic", False, {}),
}

CONTENT = Record("content file", CONTENT_FIELDS)

# Every label a handout prints, with what it is for. Placeholders in braces are filled in.
LABELS: dict[str, str] = {
    "language_name": "the language's own name, e.g. 'Español'",
    "page_of": "running footer, must contain {page} and {pages}",
    "draft_mark": "the mark printed on every page of a draft edition",
    "draft_note": "a sentence saying the edition is a draft not checked by a reviewer",
    "last_reviewed": "review line of a reviewed edition, must contain {date}",
    "checked_on": "'Information checked on {date}' line, must contain {date}",
    "next_review": "'Next review due {date}' line, must contain {date}",
    "machine_assisted": "a sentence saying the translation was drafted with machine help",
    "machine_assisted_mark": "a short mark on every page of a machine-assisted edition",
    "reviewed_by": "sign-off line of a reviewed edition, must contain {name} and {date}",
    "key_points": "heading of the key points",
    "benefits": "heading of the benefits part",
    "col_benefit": "benefits table: benefit column heading",
    "col_mechanism": "benefits table: mechanism column heading",
    "col_evidence": "benefits table: evidence column heading",
    "evidence_level": "label before the evidence level, e.g. 'Evidence level'",
    "side_effects": "heading of the side-effects part",
    "common": "heading of the common side effects",
    "serious": "heading of the rare but serious side effects",
    "col_side_effect": "side-effects table: name column heading",
    "col_description": "side-effects table: description column heading",
    "safety": "heading of the safety part",
    "get_help_now": "heading of the emergency signs box",
    "warnings": "heading of the warnings",
    "interactions": "heading of the dangerous combinations",
    "col_substance": "interactions table: substance column heading",
    "col_risk": "interactions table: risk column heading",
    "do_not_use_if": "heading of the do-not-use precautions, e.g. 'Do not use if'",
    "ask_first_if": "heading of the ask-first precautions, e.g. 'Ask a doctor or "
                    "pharmacist first if'",
    "how_to_use": "heading of the how-to-use part",
    "steps": "heading of the numbered steps",
    "doses": "heading of the doses",
    "dose_every_hours": "dose line: how often, must contain {hours}",
    "dose_max_per_day": "dose line: the most in 24 hours, must contain {amount}",
    "device": "label before the measuring device",
    "help_lines": "heading of the help lines",
    "sources": "heading of the sources list",
    "notes": "heading of the ruled notes box",
    "contact": "heading of the contact box, e.g. 'Questions? Contact'",
    "phone": "label before a phone number",
    "website": "label before a web address",
    "email": "label before an e-mail address",
    "hours": "label before opening hours",
    "about": "heading of the disclaimer",
    "prepared_for": "personal line, must contain {name}",
    "qr_alt": "alternate text of the QR code, must contain {url}",
}
LABEL_PLACEHOLDERS = {"page_of": ("{page}", "{pages}"), "last_reviewed": ("{date}",),
                      "reviewed_by": ("{name}", "{date}"),
                      "checked_on": ("{date}",), "next_review": ("{date}",),
                      "dose_every_hours": ("{hours}",), "dose_max_per_day": ("{amount}",),
                      "prepared_for": ("{name}",), "qr_alt": ("{url}",)}

LOCALE = Record("locale file", {
    "language": Field(LANG, "language of this locale"),
    "direction": Field(Choice("ltr", "rtl"), "writing direction", False, "ltr"),
    "labels": Field(MapOf(SHORT), "every label a handout prints"),
    "evidence_levels": Field(MapOf(SHORT, Choice(*model.EVIDENCE_LEVELS)),
                             "how each evidence level is printed"),
    "draft": Field(Bool(), "true while this locale's labels are an unreviewed draft",
                   False, False),
    "translation": Field(TRANSLATION, "for translated labels: the source locale and a "
                         "fingerprint of each source label (written by 'brochure translate "
                         "import' and 'brochure stamp')", False),
})


def topic_file(topic: Path, language: str) -> Path:
    """The content file of *language* in a topic folder (or *topic* itself if a file)."""
    return topic if topic.is_file() else topic / f"{language}.yaml"


def locale_dirs(content_file: Path, extra: list[Path] | None = None) -> list[Path]:
    """Where the locale of a content file is looked up, nearest first."""
    dirs = [content_file.resolve().parent.parent / "locales"]
    return dirs + list(extra or [])


def load_content(content_file: Path, locale_search: list[Path] | None = None) -> model.Content:
    """Read and validate one content file and its locale; raise `ContentError` on problems."""
    root = load_yaml(content_file)
    ctx = Context()
    data = CONTENT.read(root, "", ctx)
    language = data["language"] if data is not MISSING else None
    problems = list(ctx.problems)
    locale = None
    if isinstance(language, str):
        expected = content_file.stem
        if expected != language and content_file.parent.name != "":
            node = root.value.get("language", root)
            if re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", expected):
                problems.append(Problem(content_file, node.line, node.column, "language",
                                        f"is {language!r} but the file is named "
                                        f"{content_file.name}; name it {language}.yaml"))
        try:
            locale = load_locale(language, locale_dirs(content_file, locale_search))
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems=problems)
    assert locale is not None and data is not MISSING
    labels: dict[str, object] = dict(locale["labels"])
    labels["evidence_levels"] = dict(locale["evidence_levels"])
    overrides = data.pop("labels") or {}
    for key, value in overrides.items():
        if key not in labels:
            node = root.value["labels"].value[key]
            problems.append(Problem(content_file, node.line, node.column, f"labels.{key}",
                                    "is not a known label; known labels: "
                                    + ", ".join(sorted(labels))))
        elif isinstance(value, dict):
            labels[key] = {**labels[key], **value}  # type: ignore[dict-item]
        else:
            labels[key] = value
    _check_sections_unique(data["sections"], root, content_file, problems)
    review = data["review"]
    if review.status == "reviewed" and not problems:
        source = data["translation"].source if data["translation"] else None
        source_locale = (load_locale(source, locale_dirs(content_file, locale_search))["_tree"]
                         if source else None)
        review, found = review_mod.settle(review, data["sign_off"], root, locale["_tree"],
                                          source_locale, content_file, source)
        problems.extend(found)
    if problems:
        raise ContentError(problems=problems)
    return model.Content(
        file=content_file,
        topic=data["topic"],
        language=data["language"],
        title=data["title"],
        subtitle=data["subtitle"],
        review=review,
        key_points=tuple(data["key_points"]),
        sections=tuple(data["sections"]),
        benefits=data["benefits"],
        side_effects=data["side_effects"],
        safety=data["safety"],
        sources=tuple(data["sources"]),
        disclaimer=data["disclaimer"],
        keywords=tuple(data["keywords"] or ()),
        url=data["url"],
        how_to_use=data["how_to_use"],
        labels=labels,
        translation=data["translation"],
        direction=locale["direction"],
        trees=(root, locale["_tree"]),
    )


def _check_sections_unique(sections: list[model.Section], root: Node, file: Path,
                           problems: list[Problem]) -> None:
    seen: set[str] = set()
    for i, section in enumerate(sections):
        if section.id in seen:
            node = root.value["sections"].value[i]
            problems.append(Problem(file, node.line, node.column, f"sections[{i}].id",
                                    f"{section.id!r} is used by an earlier section; "
                                    "section ids must be unique"))
        seen.add(section.id)


def load_locale(language: str, search: list[Path]) -> dict:
    """The locale of *language* from the first folder of *search* that has it."""
    for folder in search:
        path = folder / f"{language}.yaml"
        if path.is_file():
            return _read_locale(path)
    base = language.split("-")[0]
    if base != language:
        return load_locale(base, search)
    where = ", ".join(str(p) for p in search)
    raise ContentError(problems=[Problem(None, None, None, "language",
                                         f"no locale file {language}.yaml with the labels "
                                         f"for {language!r} was found (looked in {where})")])


def _read_locale(path: Path) -> dict:
    root = load_yaml(path)
    ctx = Context()
    data = LOCALE.read(root, "", ctx)
    problems = list(ctx.problems)
    if data is not MISSING:
        labels_node = root.value["labels"]
        for key in LABELS:
            if key not in data["labels"]:
                problems.append(Problem(path, labels_node.line, labels_node.column, "labels",
                                        f"is missing the label {key!r} ({LABELS[key]})"))
        for key, text in data["labels"].items():
            node = labels_node.value[key]
            if key not in LABELS:
                problems.append(Problem(path, node.line, node.column, f"labels.{key}",
                                        "is not a known label; known labels: "
                                        + ", ".join(LABELS)))
            for placeholder in LABEL_PLACEHOLDERS.get(key, ()):
                if placeholder not in text:
                    problems.append(Problem(path, node.line, node.column, f"labels.{key}",
                                            f"must contain {placeholder}"))
        levels_node = root.value["evidence_levels"]
        for level in model.EVIDENCE_LEVELS:
            if level not in data["evidence_levels"]:
                problems.append(Problem(path, levels_node.line, levels_node.column,
                                        "evidence_levels", f"is missing {level!r}"))
    if problems:
        raise ContentError(problems=problems)
    data["_tree"] = root
    return data
