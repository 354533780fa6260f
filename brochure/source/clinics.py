"""Clinic profile files → `model.Clinic`.

In: a small YAML file (name, address, phone, website, e-mail, hours, notes, logo). Out: a
`Clinic`; the logo path is resolved against the profile's own folder and must be a PNG
or JPEG image within the limits of `images`, decoded here once so a damaged file is
reported with the profile's line.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ContentError, Problem
from . import images, model
from .schema import MISSING, Context, Field, ListOf, OneOf, Record, Str
from .yamlsource import load_yaml

ADDRESS = OneOf(
    (lambda v: isinstance(v, list), ListOf(Str(200), 1, 6)),
    (lambda v: True, Str(300)),
    expects="text or a list of address lines",
)

CLINIC = Record("clinic profile", {
    "name": Field(Str(120), "the clinic's name as it should be printed"),
    "address": Field(ADDRESS, "postal address, one line or a list of lines", False),
    "phone": Field(Str(40), "phone number for questions", False),
    "website": Field(Str(200), "web address", False),
    "email": Field(Str(200), "e-mail address", False),
    "hours": Field(Str(200), "opening hours", False),
    "notes": Field(Str(600), "the clinic's own note to its patients", False),
    "logo": Field(Str(500), "PNG or JPEG file, relative to this profile's folder", False),
    "logo_alt": Field(Str(200), "what the logo shows, for screen readers", False),
})


def load_clinic(path: Path) -> model.Clinic:
    """Read and validate a clinic profile; raise `ContentError` with every problem."""
    root = load_yaml(path)
    ctx = Context()
    data = CLINIC.read(root, "", ctx)
    problems = list(ctx.problems)
    logo: Path | None = None
    if data is not MISSING and data["logo"]:
        logo = (path.parent / data["logo"]).resolve()
        node = root.value["logo"]
        try:
            images.prepare(logo, data["logo"])
        except images.ImageProblem as exc:
            problems.append(Problem(path, node.line, node.column, "logo",
                                    f"{data['logo']!r} {exc}; give a PNG or JPEG file "
                                    f"relative to {path.parent}"))
    if problems:
        raise ContentError(problems=problems)
    address = data["address"] or ()
    return model.Clinic(
        file=path,
        name=data["name"],
        address=(address,) if isinstance(address, str) else tuple(address),
        phone=data["phone"],
        website=data["website"],
        email=data["email"],
        hours=data["hours"],
        notes=data["notes"],
        logo=logo,
        logo_alt=data["logo_alt"],
        trees=(root,),
    )
