"""Finish: rendered PDF bytes → finished PDF bytes (metadata, structure, print files).

In: the bytes and structure tree from `typeset.render`, and the edition they came from.
Out: PDF bytes with title, language, XMP, viewer preferences, the structure tree and
page boxes, appended as one incremental update (`pdfupdate`); the PDF/A output intent
and registration colour (`pdfa`); Thai text-layer repairs (`textlayer`); booklet
imposition (`imposition`). `steps.finish` runs the finishers in
order. Nothing here touches the filesystem: writing is `brochure.output`.
"""
