"""Source: YAML files → validated models (content, clinic profiles, layouts).

In: content files (``content/<topic>/<lang>.yaml``), locale label files, clinic profiles,
layout files and plan fields, each read with the line and column of every value. Out:
`model.Content`, `model.Clinic` and `layouts.Layout`, or a `ContentError`/`LayoutError`
listing every problem of a file with ``file:line:column field: message``.

`yamlsource` loads YAML safely with positions; `schema` declares each file type's fields;
`content`, `clinics` and `layouts` validate into `model`; `translation` compares a
translation with its source; `topics` finds topic folders; `review` decides from its
sign-off record whether an edition is reviewed. The translators' workflow lives here
too: `catalog` (the units to translate), `exchange` (PO and XLIFF files), `yamledit`
(round-trip YAML edits) and `workflow` (export, import, status, approve) — the only
modules that write source files. Nothing here draws.
"""
