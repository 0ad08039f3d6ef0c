"""Speakers as the quotes name them: each attribution's mention resolved to its entity, in the order
the quotes are resolved, with the canonical name, kind and mentions of each speaker."""
from __future__ import annotations

from bisect import bisect_left

from ..result import Quote, Span, Speaker, SpeakerRef
from ..text.markup import clean_name, clean_span, markup_spans
from ..view.context import Context
from ..view.entities import entity_view


def text_span(text: str, start: int, end: int) -> Span:
    return Span(text[start:end], start, end)


def _name_span(text: str, start: int, end: int, markup: list[tuple[int, int]]) -> Span | None:
    """The span of a mention, without markup or quotation marks; None when nothing is left of it."""
    cleaned = clean_span(text, start, end, markup)
    return None if cleaned is None else text_span(text, *cleaned)


def cue_span(text: str, cue) -> Span | None:
    if cue is None:
        return None
    start = cue.idx if hasattr(cue, "idx") else cue.start_char
    end = start + len(cue.text)
    return text_span(text, start, end)


def _mentions(own: list[Span], forms: list[Span]) -> list[Span]:
    """A speaker's mentions in order: those its quotes rest on, then the other forms of its name that
    overlap none already kept ("Macron" inside "Mr Macron" is not a second mention), longest first."""
    kept = sorted({(m.start, m.end): m for m in own}.values(), key=lambda m: (m.start, m.end))
    starts = [m.start for m in kept]
    for form in sorted(forms, key=lambda m: (m.start - m.end, m.start)):
        at = bisect_left(starts, form.start)
        if (at < len(kept) and kept[at].start < form.end) or (at > 0 and kept[at - 1].end > form.start):
            continue
        kept.insert(at, form)
        starts.insert(at, form.start)
    return kept


class Speakers:
    """Speakers as the quotes name them, in the order their quotes are resolved."""

    def __init__(self, ctx: Context):
        self.text = ctx.text
        self.view = entity_view(ctx)
        self.markup = markup_spans(ctx.text)
        self.ids: dict[str, str] = {}
        self.speakers: dict[str, Speaker] = {}

    def mention(self, mention) -> Span | None:
        """The span a quote's speaker rests on, without markup; None when nothing is left of it."""
        return _name_span(self.text, mention.start_char, mention.end_char, self.markup)

    def attach(self, quote: Quote, mention, span: Span, kind: str | None) -> None:
        key = self.view.speaker_of(mention, kind)
        if key not in self.ids:
            self.ids[key] = f"s{len(self.ids)}"
        sid = self.ids[key]
        quote.speaker = SpeakerRef(sid, "", span)
        speaker = self.speakers.setdefault(key, Speaker(sid, "", self.view.entity(key).kind))
        speaker.quote_ids.append(quote.id)
        speaker.mentions.append(span)

    def named(self, quotes: list[Quote]) -> list[Speaker]:
        names: dict[str, str] = {}
        for key, speaker in self.speakers.items():
            entity = self.view.entity(key)
            speaker.name = names[speaker.id] = clean_name(entity.name) or speaker.mentions[0].text
            speaker.kind = entity.kind
            forms = (_name_span(self.text, form.start_char, form.end_char, self.markup) for form in entity.forms)
            speaker.mentions = _mentions(speaker.mentions, [form for form in forms if form is not None])
        for quote in quotes:
            if quote.speaker is not None:
                quote.speaker.name = names[quote.speaker.id]
        return sorted(self.speakers.values(), key=lambda s: int(s.id[1:]))
