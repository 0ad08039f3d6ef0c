"""Where a failure happened, for a log line that must not quote the article (newsroom copy may be under
embargo): the exception's type and its last frames, never its message."""
from __future__ import annotations

import traceback


def failure_site(error: BaseException) -> str:
    """Where an exception was raised (its last frames)."""
    return "; ".join(f"{frame.filename}:{frame.lineno} in {frame.name}"
                     for frame in traceback.extract_tb(error.__traceback__)[-3:])
