"""Reported (indirect) speech: what someone said, with or without quotation marks.

"Trump said he would not send troops" reports "he would not send troops", said by Trump. Each report
rests on a cue of communication (a verb of saying, "according to", a noun such as "the claim that")
and the parse around it:

- a that-clause or bare complement of the verb (``ccomp``): Trump said [he would not send troops];
- an inverted report, the verb hanging off its content: [The plan is dead], he said / [The economy],
  he said, [is weak] (two parts sharing one group);
- an infinitive or an accusation: urged the judge [to give him a fair sentence], accused [Trump of
  inciting violence];
- "according to X": the clause it is attached to, without the phrase itself;
- a noun cue: the claim [that the plan had failed];
- a colon lead-in without quotation marks: He told reporters: [the talks will resume next week].

Beliefs and perceptions (think, believe, know, hope, want) are not cues: their lemmas are not in the
lexicon's reported-speech verbs. Content wholly inside quotation marks is left to the direct quotes;
content that is partly quoted gives one report over the whole clause, quotation included.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Span, Token

from .view.context import Context
from .view.lexicon import REPORTED_SPEECH_NOUNS, REPORTED_SPEECH_VERBS
from .view.phrases import noun_phrase, speaker_from_verb, subject_of
from .view.tags import SUBJECT_DEPS

_EDGE = " \t\n,;:-–—"  # trimmed from the edges of a content, as the evaluation data annotates it
_TOPIC_PREPOSITIONS = frozenset("about for on of against".split())
_CONTENT_DEPS = ("ccomp",)
_INFINITIVE_DEPS = ("xcomp",)
# a content has at least this many words outside quotation marks, a verb among them (measured on
# polnear-train against 2 and 3, with and without the verb)
MIN_WORDS = 4
_MIN_CUT = 3  # a content keeps at least this many tokens before a cut
# what follows a verb inside its attribution: "said on Tuesday", "said in a statement", "told reporters"
_ADJUNCT_DEPS = ("npadvmod", "advmod", "prep", "dative", "dobj")
_DANGLING = (" and", " but", " or")
_ADVERBIAL_DEPS = ("advmod", "prep", "npadvmod", "cc", "mark", "advcl", "punct")


@dataclass
class Report:
    """One reported content (possibly in parts), its cue and the mention of who said it."""

    parts: list[tuple[int, int]]  # character spans of the content, in order
    cue: Token | Span
    mention: Span | None
    method: str
    confidence: float


def find_reports(ctx: Context) -> list[Report]:
    """Every report of speech in the article, in order of its content."""
    reports: list[Report] = []
    for token in ctx.doc:
        if ctx.in_quote(token):
            continue
        found = _report_at(ctx, token)
        if found is not None:
            reports.append(found)
    # a report is kept when it says who spoke ("Revealed: ..." in a headline names no one)
    kept = [r for r in reports if r.mention is not None and _worth_reporting(ctx, r)]
    kept = _outermost(kept)
    return sorted(kept, key=lambda r: r.parts[0])


def _outermost(reports: list[Report]) -> list[Report]:
    """Without the reports cued by an infinitive or participle inside another report's content: in
    "they asked Clinton to urge the White House to act", what is reported is the asking."""
    spans = sorted((start, end) for r in reports for start, end in r.parts)
    starts = [start for start, _end in spans]
    reach, furthest = [], 0  # reach[i]: the furthest end of spans[0..i]
    for _start, end in spans:
        furthest = max(furthest, end)
        reach.append(furthest)

    def inside(r: Report) -> bool:
        cue = r.cue.idx if isinstance(r.cue, Token) else r.cue.start_char
        last = bisect_right(starts, cue) - 1
        return last >= 0 and reach[last] > cue

    return [r for r in reports if _is_finite(r.cue) or not inside(r)]


def _is_finite(cue: Token | Span) -> bool:
    return not isinstance(cue, Token) or cue.tag_ in ("VBD", "VBZ", "VBP")


def _report_at(ctx: Context, token: Token) -> Report | None:
    if token.lower_ == "according":
        return _according_to(ctx, token)
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") and lemma in REPORTED_SPEECH_VERBS:
        return _verb_report(ctx, token)
    if token.pos_ == "NOUN" and lemma in REPORTED_SPEECH_NOUNS:
        return _noun_report(ctx, token)
    return None


# --- content from the parse ------------------------------------------------------------------------

def _verb_report(ctx: Context, verb: Token) -> Report | None:
    parts = _verb_content(ctx, verb)
    if not parts:
        return None
    return Report(parts, verb, _verb_speaker(ctx, verb), "reported_speech", 0.8)


def _verb_speaker(ctx: Context, verb: Token) -> Span | None:
    """Who the verb says spoke, as for direct quotes; failing that its subject whatever it is ("Six in
    10 said ...", "Some argued ..."), which the direct quotes' rules refuse as too unlike a speaker."""
    mention = speaker_from_verb(ctx, verb)
    if mention is not None:
        return mention
    subject = subject_of(ctx, verb)
    if subject is None or ctx.in_quote(subject) or not any(ch.isalnum() for ch in subject.text):
        return None
    return noun_phrase(ctx, subject)


def _verb_content(ctx: Context, verb: Token) -> list[tuple[int, int]]:
    interrupted = _interrupted_sentence(ctx, verb)
    if interrupted:
        return interrupted
    children = ctx.children(verb)
    clauses = [c for c in children if c.dep_ in _CONTENT_DEPS and not _is_quote_stand_in(ctx, c)]
    after = [c for c in clauses if c.i > verb.i]
    if clauses:  # the complement after the verb; one before it only when there is none after
        return _subtrees(ctx, after or clauses[-1:])
    if verb.head.i != verb.i and _is_inverted(ctx, verb):
        return _without(ctx, verb.head, verb)
    lead_in = _after_colon(ctx, verb)
    if lead_in:
        return lead_in
    right = [c for c in children if c.i > verb.i and not ctx.in_quote(c)]
    return _object_content(ctx, verb, right) or _topic_content(ctx, right)


def _object_content(ctx: Context, verb: Token, right: list[Token]) -> list[tuple[int, int]]:
    """urged [the judge to give him a fair sentence], promised [to cut taxes], described [the plan as
    a failure], accused [Trump of inciting violence], announced [a plan to cut taxes]."""
    infinitives = [c for c in right if c.dep_ in _INFINITIVE_DEPS]
    objects = [c for c in right if c.dep_ == "dobj"]
    if infinitives:
        return _subtrees(ctx, objects[:1] + infinitives[:1])
    if not objects:
        return []
    complements = [c for c in right if c.i > objects[0].i and c.dep_ in ("prep", "oprd", "ccomp", "advcl")]
    return _subtrees(ctx, objects[:1] + complements[:1])


def _topic_content(ctx: Context, right: list[Token]) -> list[tuple[int, int]]:
    """talked [about the plan to cut taxes], called [for an end to the war], railed [against the bill]."""
    for prep in right:
        if prep.dep_ == "prep" and prep.lower_ in _TOPIC_PREPOSITIONS:
            objects = [c for c in ctx.children(prep) if c.dep_ in ("pobj", "pcomp")]
            if objects:
                return _subtrees(ctx, objects[:1])
    return []


def _attribution_chunk(ctx: Context, verb: Token) -> tuple[int, int] | None:
    """The tokens ``he said`` / ``said Mr Clarke`` / ``the senator said on Tuesday`` as a range of token
    indices, when the verb's subject stands right next to it."""
    subjects = [c for c in ctx.children(verb) if c.dep_ in SUBJECT_DEPS and not ctx.in_quote(c)]
    if not subjects:
        return None
    subject = subjects[0]
    if subject.right_edge.i + 1 < verb.i - 1 or subject.left_edge.i > verb.i + 3:
        return None
    first, last = min(subject.left_edge.i, verb.i), max(subject.right_edge.i, verb.i)
    doc = verb.doc
    # adjuncts of the verb that follow it: "on Tuesday", "in a statement", "then", "reporters"
    while last + 1 < len(doc) and doc[last + 1].head.i == verb.i and doc[last + 1].dep_ in _ADJUNCT_DEPS:
        last = doc[last + 1].right_edge.i
    return first, last


def _interrupted_sentence(ctx: Context, verb: Token) -> list[tuple[int, int]]:
    """[Lenox was a juggernaut], Mr. Clarke said, [until it went bankrupt] / [The plan is dead], he said:
    an attribution set off by commas inside or at the end of the sentence it reports."""
    chunk = _attribution_chunk(ctx, verb)
    if chunk is None:
        return []
    doc = verb.doc
    first, last = chunk
    sentence = ctx.sentence(verb)
    if first - 1 > sentence.start and _is_closing_mark(ctx, doc[first - 1]) and doc[first - 2].text == ",":
        first -= 1  # “..., the ministry said”: the comma is inside the quotation
    if first - 1 <= sentence.start or doc[first - 1].text != ",":
        return []
    after = last + 1
    if after < sentence.stop and doc[after].text not in (",", ".", "!", "?"):
        return []
    before = _trimmed(ctx, doc[sentence.start].idx, doc[first - 1].idx)
    parts = [p for p in before if _unquoted_words(ctx, *p)]
    if not parts:
        return []
    tail_start = after + 1
    if tail_start < sentence.stop and not _belongs_to_cue(ctx, doc[tail_start:sentence.stop], verb):
        end = doc[sentence.stop - 1]
        tail = _trimmed(ctx, doc[tail_start].idx, end.idx + len(end.text))
        if tail and _is_adverbial(ctx, parts[0]):
            parts = []  # "Overall, she said, [...]": what frames the report, as a that-clause leaves it out
        parts.extend(p for p in tail if _unquoted_words(ctx, *p))
    return parts


def _is_adverbial(ctx: Context, part: tuple[int, int]) -> bool:
    """Is the stretch an adverbial phrase or clause ("Overall", "In a merger", "If the law ...")
    rather than a subject of what follows?"""
    tokens = [ctx.doc[i] for i in ctx.tokens_between(*part)]
    outer = [t for t in tokens if not part[0] <= t.head.idx < part[1]]
    return all(t.dep_ in _ADVERBIAL_DEPS for t in outer)


def _is_closing_mark(ctx: Context, token: Token) -> bool:
    return ctx.in_quote(token) and not any(ch.isalnum() for ch in token.text)


def _belongs_to_cue(ctx: Context, tokens: Span, verb: Token) -> bool:
    """Is the rest of the sentence the cue's own adjunct ("..., he said, adding that ...")?"""
    return any(t.head.i == verb.i and t.dep_ in ("advcl", "conj", "xcomp", "cc") for t in tokens)


def _is_inverted(ctx: Context, verb: Token) -> bool:
    """Is the verb an attribution hung on its content ("The plan is dead, he said")? Its subject
    stands next to it and the content's verb is a finite clause before it."""
    head = verb.head
    if verb.dep_ != "parataxis" or head.i > verb.i:
        return False  # a complement of a verb before it is reported by that verb, not its report
    subject = [c for c in ctx.children(verb) if c.dep_ in SUBJECT_DEPS]
    before = verb.doc[verb.left_edge.i - 1] if verb.left_edge.i > 0 else None
    return bool(subject) and head.pos_ in ("VERB", "AUX") and ctx.same_sentence(head, verb) \
        and before is not None and (before.text == "," or _is_closing_mark(ctx, before))


def _according_to(ctx: Context, according: Token) -> Report | None:
    doc = according.doc
    if according.i + 1 >= len(doc) or doc[according.i + 1].lower_ != "to":
        return None
    to = doc[according.i + 1]
    sources = [c for c in ctx.children(to) if c.dep_ == "pobj" and not ctx.in_quote(c)]
    if not sources:
        return None
    head = according.head
    for _ in range(4):
        if head.pos_ in ("VERB", "AUX") or head.dep_ == "ROOT":
            break
        head = head.head
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head  # "rose ..., but declined ..., according to the data": the whole coordination
    if head.i == according.i:
        return None
    parts = _without(ctx, head, according)
    if len(parts) > 1 and _is_adverbial(ctx, parts[0]):
        parts = parts[1:]  # "Now, according to the poll, [some are swinging]"
    if not parts:
        return None
    return Report(parts, doc[according.i:according.i + 2], noun_phrase(ctx, sources[0]), "according_to", 0.8)


def _noun_report(ctx: Context, noun: Token) -> Report | None:
    clauses = [c for c in ctx.children(noun) if c.dep_ in ("acl", "ccomp") and c.i > noun.i
               and any(m.dep_ == "mark" and m.lower_ == "that" for m in ctx.children(c))]
    parts = _subtrees(ctx, clauses) if clauses else _after_colon(ctx, noun)
    if not parts:
        return None
    return Report(parts, noun, _noun_speaker(ctx, noun), "reported_speech", 0.6)


def _noun_speaker(ctx: Context, noun: Token) -> Span | None:
    """Whose claim: "Trump's claim that ...", or the subject of "made the claim that ..."."""
    for child in ctx.children(noun):
        if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN", "PRON"):
            return noun_phrase(ctx, child)
    if noun.dep_ in ("dobj", "nsubj") and noun.head.pos_ in ("VERB", "AUX"):
        return speaker_from_verb(ctx, noun.head) if noun.dep_ == "dobj" else None
    return None


def _after_colon(ctx: Context, cue: Token) -> list[tuple[int, int]]:
    """He told reporters: [the talks will resume] — the rest of the sentence after a colon that
    closes the cue's clause, when it is not a quotation."""
    doc = cue.doc
    for token in doc[cue.i + 1:cue.i + 4]:
        if token.text == ":":
            break
        if token.is_punct or ctx.in_quote(token):
            return []
    else:
        return []
    first = token.i + 1
    if first >= len(doc) or ctx.in_quote(doc[first]):
        return []
    sentence = ctx.sentence(doc[first])
    last = sentence.stop - 1
    return _trimmed(ctx, doc[first].idx, doc[last].idx + len(doc[last].text))


# --- spans -----------------------------------------------------------------------------------------

def _subtrees(ctx: Context, heads: list[Token]) -> list[tuple[int, int]]:
    first = min((h.left_edge for h in heads), key=lambda t: t.i)
    last = max((h.right_edge for h in heads), key=lambda t: t.i)
    for head in heads:
        for conj in ctx.children(head):
            if conj.dep_ == "conj" and conj.i > head.i and first.i < conj.left_edge.i <= last.i \
                    and _reports_again(ctx, conj):
                last = first.doc[conj.left_edge.i - 1]
    last = _tail_cut(ctx, first, last)
    return _trimmed(ctx, first.idx, last.idx + len(last.text))


def _tail_cut(ctx: Context, first: Token, last: Token) -> Token:
    """The last token of a content that leaves out a second predicate of the reporting verb
    ("said the plan was dead and warned ...") and a trailing aside (", saying ...", ", which ...")."""
    doc = first.doc
    for i in range(first.i + _MIN_CUT, last.i):
        token, following = doc[i], doc[i + 1]
        if ctx.in_quote(token):
            continue
        if token.lower_ == "and" and _is_own_predicate(ctx, following):
            return doc[i - 1]
        if token.text == "," and _opens_aside(following):
            return doc[i - 1]
    return last


def _reports_again(ctx: Context, clause: Token) -> bool:
    """Is a clause coordinated with a content another report ("... and one in four said ...")?"""
    return any(t.lemma_.lower() in REPORTED_SPEECH_VERBS and t.pos_ == "VERB"
               and any(c.dep_ in SUBJECT_DEPS for c in ctx.children(t))
               for t in clause.subtree if not ctx.in_quote(t))


def _opens_aside(token: Token) -> bool:
    """", saying ...", ", which ...": a participle or a relative clause after a comma, the writer's
    comment on the content rather than part of it."""
    return token.lower_ in ("which", "who") or (token.tag_ == "VBG" and token.dep_ in ("advcl", "conj", "acl", "xcomp"))


def _is_own_predicate(ctx: Context, token: Token) -> bool:
    """"and warned ...": a finite verb of saying without a subject of its own, coordinated after a content."""
    return token.lemma_.lower() in REPORTED_SPEECH_VERBS and token.tag_ in ("VBD", "VBZ") \
        and not any(c.dep_ in SUBJECT_DEPS for c in ctx.children(token))


def _without(ctx: Context, head: Token, cut: Token) -> list[tuple[int, int]]:
    """The characters of ``head``'s subtree, without ``cut``'s subtree: one or two parts."""
    start, end = head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text)
    cut_start, cut_end = cut.left_edge.idx, cut.right_edge.idx + len(cut.right_edge.text)
    parts = []
    for a, b in ((start, cut_start), (cut_end, end)):
        parts.extend(_trimmed(ctx, a, b))
    return parts


def _trimmed(ctx: Context, start: int, end: int) -> list[tuple[int, int]]:
    """The span trimmed of spaces and of ``, ; : -`` at its edges and of a closing full stop that
    ends the sentence, or nothing when nothing is left."""
    text = ctx.text
    while start < end and (text[start] in _EDGE or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _EDGE or text[end - 1].isspace()):
        end -= 1
    for word in _DANGLING:  # "the plan was dead and": a conjunction left by a cut
        if text[start:end].endswith(word) and end - len(word) > start:
            end -= len(word)
            while end > start and (text[end - 1] in _EDGE or text[end - 1].isspace()):
                end -= 1
    if end > start and text[end - 1] == "." and _sentence_end(ctx, end - 1):
        end -= 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
    return [(start, end)] if end > start else []


def _sentence_end(ctx: Context, pos: int) -> bool:
    """Is the full stop at ``pos`` a token of its own (not "Mass." or "U.S.")?"""
    token = ctx.doc[ctx.token_at(pos)]
    return token.text == "." and token.idx == pos


def _is_quote_stand_in(ctx: Context, token: Token) -> bool:
    return ctx.in_quote(token) and ctx.in_quote(token.left_edge) and ctx.in_quote(token.right_edge)


# --- what is kept ----------------------------------------------------------------------------------

def _worth_reporting(ctx: Context, report: Report) -> bool:
    """A clause of its own: enough words outside quotation marks, a verb among them. Content wholly
    quoted is the direct quotes' own; "criticized [the plan]" reports no words."""
    words = sum(_unquoted_words(ctx, start, end) for start, end in report.parts)
    has_verb = any(ctx.doc[i].pos_ in ("VERB", "AUX") and not ctx.in_quote(ctx.doc[i])
                   for start, end in report.parts for i in ctx.tokens_between(start, end))
    return words >= MIN_WORDS and has_verb


def _unquoted_words(ctx: Context, start: int, end: int) -> int:
    return len(_unquoted_text(ctx, start, end).split())


def _unquoted_text(ctx: Context, start: int, end: int) -> str:
    """``text[start:end]`` without the quotations in it (marks included)."""
    ends = ctx.quote_ends
    pieces, at = [], start
    for quote in ctx.quotes[bisect_right(ends, start):]:  # quotes are in order: the first ending after start
        if quote.outer_start >= end:
            break
        pieces.append(ctx.text[at:max(at, quote.outer_start)])
        at = max(at, quote.outer_end)
    pieces.append(ctx.text[at:end] if at < end else "")
    return " ".join(pieces)


