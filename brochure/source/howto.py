"""The how-to-use part's doses → the words printed for them.

In: a `Dose` (numbers as data), the wording mode and the edition's labels. Out: the text
of one dose line after its "who". Numbers are printed as the source file writes them —
the same digits in every language, so a translation cannot change a dose. The story
builder prints this text and the checks look for the same text in the PDF.
"""

from __future__ import annotations

from .model import Dose, WordingMode


def number_text(value: float) -> str:
    """A dose number as written in the source file: the same digits in every language."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def dose_text(dose: Dose, mode: WordingMode, labels: dict[str, object]) -> str:
    """One dose after its "who": amount and unit, form, how often, the most in a day."""
    def label(key: str, **values: str) -> str:
        text = str(labels[key])
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        return text

    amount = f"{number_text(dose.amount)} {dose.unit}"
    text = amount + (f" ({dose.form.get(mode)})" if dose.form else "") + "."
    if dose.every_hours is not None:
        text += " " + label("dose_every_hours", hours=number_text(dose.every_hours)) + "."
    if dose.max_per_day is not None:
        most = f"{number_text(dose.max_per_day)} {dose.unit}"
        text += " " + label("dose_max_per_day", amount=most) + "."
    if dose.note:
        text += " " + dose.note.get(mode)
    return text
