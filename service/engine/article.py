"""One article as the engine takes it: plain text, or HTML whose text is read from it once."""
from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, get_args

from .text.html import HtmlText, html_to_text

# What a request may ask for besides direct quotes: "indirect" adds reported speech.
Include = Literal["indirect"]
INCLUDABLE: tuple[str, ...] = get_args(Include)


@dataclass(frozen=True, eq=False)
class Article:
    """The article's ``source`` as sent (text, or HTML when ``is_html``), the caller's ``id``, and what
    it asks for besides direct quotes (``include``)."""

    source: str
    is_html: bool = False
    id: str | None = None
    include: frozenset[str] = frozenset()

    @classmethod
    def of(cls, article: Article | str) -> Article:
        """``article`` itself, or a plain-text article of a string."""
        return article if isinstance(article, Article) else cls(article)

    @cached_property
    def html_text(self) -> HtmlText | None:
        """The text read from the HTML, with its map back into the HTML (read when first asked for)."""
        return html_to_text(self.source) if self.is_html else None

    @property
    def text(self) -> str:
        """The text the engine reads: the article's, or the one read from its HTML."""
        return self.html_text.text if self.is_html else self.source

    @property
    def form(self) -> str:
        """How the article was sent, as a message names it: "text" or "HTML"."""
        return "HTML" if self.is_html else "text"

    def including(self, include: Collection[str]) -> Article:
        """The same article asking for ``include`` as well (the HTML already read stays read)."""
        if set(include) <= self.include:
            return self
        wider = dataclasses.replace(self, include=self.include | frozenset(include))
        if "html_text" in self.__dict__:
            wider.__dict__["html_text"] = self.__dict__["html_text"]
        return wider

    def __len__(self) -> int:
        return len(self.source)
