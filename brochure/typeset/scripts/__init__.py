"""Script support for ReportLab paragraphs that the stock engine gets wrong.

`bidi` gives ReportLab the `rlbidi.log2vis` it looks for (right-to-left paragraphs such
as Arabic) and `thai` marks word boundaries in Thai, which is written without spaces.
"""
