"""A lead-in that introduces the quote: ``Caddell continued:`` or ``Mr Rutte said that`` ending the
paragraph (or the text) right before it."""
from __future__ import annotations

from ...view.context import Context, is_speech_verb
from ...view.entities import entity_view
from ...view.phrases import WINDOW
from ..sieve import Sieve

NAME = "lead_in"


def _end_of_words(text: str, start: int, end: int) -> int:
    """``end`` moved back over the white space before it, not past ``start``."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _lead_in_end(ctx: Context, k: int) -> int | None:
    """Index of the last token of the lead-in that introduces quote k, if any."""
    quote = ctx.quotes[k]
    para = ctx.paragraph_of(k)
    end = _end_of_words(ctx.text, para.start, quote.outer_start)
    if end == para.start:  # the quote opens its paragraph: the lead-in ends the one before
        if quote.paragraph == 0:
            return None
        previous = ctx.paragraphs[quote.paragraph - 1]
        end = _end_of_words(ctx.text, previous.start, previous.end)
    last = ctx.doc[ctx.token_at(end - 1)]
    if ctx.in_quote(last):
        return None
    if last.text == ":" or (last.lower_ == "that" and last.i > 0 and is_speech_verb(ctx.doc[last.i - 1])) \
            or is_speech_verb(last):
        return last.i
    return None


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    for k in ctx.open_quotes():
        end = _lead_in_end(ctx, k)
        if end is None:
            continue
        sentence = ctx.sentence(ctx.doc[end])
        words = ctx.doc[max(sentence.start, end + 1 - WINDOW):end + 1]
        verbs = [t for t in words if t.pos_ in ("VERB", "AUX") and not ctx.in_quote(t)]
        for verb in reversed(verbs):
            mention = view.speaker_of_verb(verb)
            if mention is None:
                mention = view.subject_of(verb)
            if mention is not None:
                ctx.attribute(k, mention, verb, NAME)
                break


SIEVE = Sieve(NAME, sieve, sure=True)
