"""The WSGI environ keys by which the server and the app hand each other what a request needs, beside
those of WSGI itself: the server says where engine work runs and whether the process is stopping;
the app says, for the access log, the request id, the route and the article's length."""
from __future__ import annotations

RUN_ENGINE = "quotes.run_engine"  # callable(function, *args, **kwargs): runs engine work off the event loop
DRAINING = "quotes.draining"  # callable() -> bool: the process finishes what it has and takes no more
REQUEST_ID = "quotes.request_id"
ROUTE = "quotes.route"
TEXT_CHARS = "quotes.text_chars"
