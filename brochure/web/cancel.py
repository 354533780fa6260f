"""Superseded previews: a client's numbered requests in, a check that stops old work out.

A counselor who keeps typing asks for a new preview every pause; only the newest one
matters. Each preview names its page visit (the client id) and a number that grows with
every request; once a newer number has arrived for the same client, the older request's
`still_wanted` check raises `Superseded`, so its build is skipped or its page drawing
stops between pages.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

MAX_CLIENTS = 512  # page visits remembered (oldest forgotten first)


class Superseded(Exception):
    """A newer preview was asked for by the same page: this one's work is dropped."""


class Generations:
    """The newest request number seen per client."""

    def __init__(self) -> None:
        self._newest: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def begin(self, client: str, number: int) -> Callable[[], None]:
        """Record request *number* of *client*; return the check its work calls."""
        with self._lock:
            if number > self._newest.get(client, -1):
                self._newest[client] = number
            self._newest.move_to_end(client)
            while len(self._newest) > MAX_CLIENTS:
                self._newest.popitem(last=False)

        def still_wanted() -> None:
            if self._newest.get(client, number) > number:
                raise Superseded

        still_wanted()  # an older request that arrives late is dropped at once
        return still_wanted
