"""Who may post: a request's headers and form in, a refusal (or none) out.

Every POST must come from this page in this server's lifetime: it carries the page's
client id and a token made from it with a key that lives only in this process's memory,
and when the browser names the request's origin (``Origin``, else ``Referer``) it must be
this server's own. A form on another site can make a browser post here, but cannot read
the page to learn a token, so its posts are refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from urllib.parse import urlsplit

from .i18n import N_


class Guard:
    """Makes and checks the page's per-visit tokens."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def new_client(self) -> tuple[str, str]:
        """A fresh client id for one page visit, and its token."""
        client = secrets.token_urlsafe(12)
        return client, self.token(client)

    def token(self, client: str) -> str:
        return hmac.new(self._key, client.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def refusal(self, form: Mapping[str, str], headers: Mapping[str, str],
                own_origin: str) -> str | None:
        """Why this POST is refused (an English message id), or None to accept it."""
        for header in ("Origin", "Referer"):
            value = headers.get(header)
            if value and value != "null":
                if _origin(value) != own_origin.rstrip("/"):
                    return N_("This form was sent from another site; open the page again.")
                break
        client, token = form.get("client", ""), form.get("token", "")
        if not client or not hmac.compare_digest(self.token(client), token):
            return N_("This page has expired (the server was restarted). Your typing is "
                      "kept in the form: send it again.")
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
