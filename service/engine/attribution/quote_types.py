"""Is a quote a quoted sentence or clause (``direct``) or a fragment in the writer's sentence (``partial``)?"""
from __future__ import annotations

from ..view.context import Context, is_speech_verb
from ..view.phrases import heads_over
from ..view.tags import MODIFIER_DEPS, SUBJECT_DEPS

_LEAD_IN_END = (":", ",", "—", "–", "-")
SCARE_QUOTE_MAX_WORDS = 3


def _char_before(text: str, pos: int, start: int) -> str:
    """The last character before ``pos`` that is not white space, not looking before ``start``."""
    while pos > start and text[pos - 1].isspace():
        pos -= 1
    return text[pos - 1] if pos > start else ""


def quote_type(ctx: Context, k: int) -> str:
    k = ctx.first_of_group[k]  # the rest of an interrupted or continued quotation is typed as its start
    if k not in ctx.quote_types:
        ctx.quote_types[k] = _type_of(ctx, k)
    return ctx.quote_types[k]


def _type_of(ctx: Context, k: int) -> str:
    quote, para = ctx.quotes[k], ctx.paragraph_of(k)
    words = ctx.text[quote.start:quote.end]
    first = words.lstrip("…. ")[:1]
    before = _char_before(ctx.text, quote.outer_start, para.start)
    opens_sentence = not before or before in _LEAD_IN_END or before in ".!?"
    if opens_sentence and (first.isupper() or first.isdigit() or words.startswith(("…", "..."))):
        return "direct"
    if first.isupper() and len(words.split()) > SCARE_QUOTE_MAX_WORDS and words.rstrip()[-1:] in ".!?,":
        return "direct"
    return "partial"


def is_scare_quote(ctx: Context, k: int) -> bool:
    """A short fragment such as a ‘backstop’ or "coalition of the willing": a term, not speech."""
    quote = ctx.quotes[k]
    return quote_type(ctx, k) == "partial" and len(ctx.text[quote.start:quote.end].split()) <= SCARE_QUOTE_MAX_WORDS


_TERM_MAX_WORDS = 4


def names_something(ctx: Context, k: int) -> bool:
    """A quoted name or title (the “Department of Government Efficiency”): capitalised words, no
    sentence punctuation."""
    words = ctx.text[ctx.quotes[k].start:ctx.quotes[k].end]
    return words[-1:].isalnum() and all(w[:1].isupper() for w in words.split() if len(w) > 3)


def is_unspoken_term(ctx: Context, k: int, cue, max_words: int = _TERM_MAX_WORDS) -> bool:
    """A quoted term in the writer's own sentence that no verb of saying governs: in "Mr Macron, who
    leads the “coalition of the willing”, said …" the term is the writer's name for the group, not
    Macron's words; in "he said it was “very disappointing”" or "said the council would give “firm
    guarantees”" it is his (the verb governs it through the parse).

    Whatever its length, a fragment with no verb of its own is a term when the writer marks it as one
    ("the so-called “…”") or when it sits in the subject of the verb of saying: the writer's words
    for who speaks, not what is said. Up to ``max_words`` words, it is one too when it names or
    qualifies a noun ("a meeting of the “…”", "as a “…”") or the verb does not govern it."""
    quote = ctx.quotes[k]
    if quote_type(ctx, k) != "partial" or not hasattr(cue, "i"):
        return False
    inside = ctx.tokens_between(quote.start, quote.end)
    if any(ctx.doc[i].pos_ in ("VERB", "AUX") for i in inside):
        return False
    if _so_called(ctx, k) or _in_subject_of(ctx, k, cue):
        return True
    if len(ctx.text[quote.start:quote.end].split()) > max_words:
        return False
    if names_something(ctx, k):
        return True
    below = ctx.doc[ctx.token_at(quote.start)]
    for head in heads_over(ctx, k):
        if head.i == cue.i:
            return False  # the verb of saying governs the quote through clauses and objects
        if not ctx.in_quote(head) and (head.lower_ == "as" and head.pos_ == "ADP" or head.pos_ in ("NOUN", "PROPN")
                                       and (below.lower_ == "of" or below.dep_ in MODIFIER_DEPS)):
            return True  # a name given ("as a “reassurance force”") or a noun's modifier ("meeting of the “…”")
        below = head
    return True


def _so_called(ctx: Context, k: int) -> bool:
    """"the so-called “coalition of the willing”": the writer's own mark of a term."""
    before = ctx.text[max(0, ctx.quotes[k].outer_start - 12):ctx.quotes[k].outer_start].lower()
    return before.rstrip().endswith(("so-called", "so called"))


def _in_subject_of(ctx: Context, k: int, cue) -> bool:
    """Does quote k sit in the subject of the verb of saying (“Macron, who leads the “…”, said”), and
    not in something the subject reports in turn (“Roffman, who estimates that his costs were “…”,
    said”)?"""
    below, reported = None, False
    for head in heads_over(ctx, k):
        if head.i == cue.i:
            return below is not None and below.dep_ in SUBJECT_DEPS and not ctx.in_quote(below) \
                and not reported
        reported = reported or head.dep_ == "ccomp" or is_speech_verb(head)
        below = head
    return False
