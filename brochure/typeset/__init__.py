"""Typeset: validated content + layout → PDF bytes (tagged while drawn).

In: a `Content`, a `Layout`, an optional `Clinic` and personal line, print options. Out:
`render.Rendered` — the PDF bytes ReportLab wrote, its page count, and the structure
tree recorded while the pages were drawn (for the finishing stage to write).

`fonts` registers the shipped font families and `glyphs` checks every character against
the font that will draw it; `styles` turns the layout's sizes and colours into paragraph
styles; `story` and `paragraphs` make the flowables (user text as plain runs, never as
markup; `markup.escape` is the one escape); `scripts` handles Thai line breaks and
right-to-left Arabic; `tagging` brackets each block in marked content (and ends each
line that breaks at a space with that space); `keeping` holds parts whole and headings
with what follows; `geometry` works out pages, panels, bleed and marks; `panels` stops a
layout run at a panel's or the page budget's edge; `pdfa` makes ReportLab's streams and
marks what PDF/A asks; `render` draws it all and shrinks to fit a budget, or says what
must go.
"""
