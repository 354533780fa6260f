"""Web: a counselor's choices in a browser → a handout previewed and downloaded.

The counselor page (``brochure serve``): pick, personalise, preview and download a
handout, built in memory through `brochure.api`.

One module per step: `catalogue` (content folder and clinic files → the choices the page
offers), `choice` (a request's fields → a checked `Choice`, or problems by field), `i18n`
(gettext catalogues in ``translations/`` → the page's words in the counselor's
language), `guard` (a POST → refused unless from this page), `cancel` (numbered previews
→ a check that stops superseded ones), `workers` (builds in worker processes), `editions`
(a choice → PDF bytes and page pictures, in memory), `app` (the Flask routes, templates
in ``templates/``, styles and script in ``static/``) and `server` (waitress, on loopback
unless told otherwise, with its limits). Needs the ``web`` extra:
``pip install 'brochure[web]'``.
"""

from __future__ import annotations

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
