"""Small functions over a parsed article: the words around a quote, speech verbs and their subjects.

Each looks at a bounded stretch around the quote (``WINDOW`` tokens at most), so that a sentence of
thousands of tokens (a wire dump with no full stops, hostile input) costs no more per quote than an
ordinary one; the speaker a verb reports is worked out once per verb.
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from .context import Context, is_speech_verb
from .lexicon import ADDRESSEE_VERBS, DOCUMENT_HEADS, ISSUING_VERBS, PERSONAL_PRONOUNS, SPEECH_NOUNS, VOX_POP, can_speak
from .mentions import is_place_aside, text_that_reads
from .tags import CLAUSE_SUBJECT_DEPS, NOT_SPEAKING_SUBJECTS

_SENTENCE_END = {".", "!", "?"}
_LEFT_DEPS = {"det", "compound", "amod", "poss", "nmod", "nummod", "quantmod", "advmod", "npadvmod",
              "case", "predet", "prep", "punct", "cc", "conj"}
_RIGHT_DEPS_PROPER = {"compound", "case", "flat"}
_RIGHT_DEPS_COMMON = {"compound", "case", "prep", "pobj", "flat"}
_INHERITS_SUBJECT = {"advcl", "conj", "xcomp", "pcomp", "prep"}
SUBORDINATORS = {"when", "as", "while", "after", "before", "because", "if", "since", "until", "though"}
_SUBJECT_PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}
# How many tokens (or quotes skipped whole) the words before or after a quote may span: longer than
# any attribution a writer puts next to a quote.
WINDOW = 250


def _ends_sentence(ctx: Context, token: Token) -> bool:
    return token.text in _SENTENCE_END and not ctx.in_quote(token) and not _is_abbreviation(token)


def _is_abbreviation(token: Token) -> bool:
    previous = token.nbor(-1) if token.i > 0 else None
    return previous is not None and previous.idx + len(previous) == token.idx and len(previous) <= 2 \
        and previous.text[:1].isupper()


def trailing_tokens(ctx: Context, k: int) -> list[Token]:
    """Tokens after quote k, in its paragraph, up to the end of the sentence or the next quote."""
    quote, para = ctx.quotes[k], ctx.paragraph_of(k)
    out = []
    tokens = ctx.tokens_between(quote.outer_end, para.end)
    for i in tokens[:WINDOW]:
        token = ctx.doc[i]
        if ctx.in_quote(token):
            if ctx.quote_of(token) != k and not is_nickname(ctx, ctx.quote_of(token)):
                break
            continue
        if _ends_sentence(ctx, token):
            break
        out.append(token)
    return out


def is_nickname(ctx: Context, k: int) -> bool:
    """A quoted nickname inside a name: Marcia “Cia” Price. It is part of the name, not speech."""
    quote = ctx.quotes[k]
    words = ctx.text[quote.start:quote.end].split()
    if len(words) != 1 or not words[0][:1].isupper() or not words[0].isalpha():
        return False
    before = ctx.text[max(0, quote.outer_start - 2):quote.outer_start].strip()
    after = ctx.text[quote.outer_end:quote.outer_end + 2].strip()
    return before[-1:].isalpha() and after[:1].isupper()


def leading_tokens(ctx: Context, k: int) -> list[Token]:
    """Tokens before quote k, in its paragraph, back to the start of the sentence (quotes skipped)."""
    quote, para = ctx.quotes[k], ctx.paragraph_of(k)
    out = []
    first = ctx.tokens_between(para.start, quote.outer_start).start
    i = ctx.tokens_between(para.start, quote.outer_start).stop - 1
    for _ in range(WINDOW):
        if i < first:
            break
        token = ctx.doc[i]
        if ctx.in_quote(token):
            inner = ctx.quotes[ctx.quote_of(token)]
            if not inner.closed:
                break
            i = min(i, ctx.token_at(inner.outer_start)) - 1  # skip the quote whole
            continue
        if _ends_sentence(ctx, token):
            break
        out.append(token)
        i -= 1
    out.reverse()
    return out


def speech_verbs(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if is_speech_verb(t)]


def _shown_saying(ctx: Context, verb: Token) -> Token | None:
    """"footage of Hillary Clinton asking, “…”", "heard Mr. Lee saying": the name right before a
    participle of saying is who speaks, not the subject of the clause above."""
    if verb.tag_ != "VBG" or verb.dep_ not in ("xcomp", "advcl", "acl") or verb.i == 0:
        return None
    before = verb.doc[verb.i - 1]
    if before.dep_ in ("pobj", "dobj") and (before.pos_ == "PROPN" or before.lower_ in ("him", "her", "them")) \
            and not ctx.in_quote(before):
        return before
    return None


def subject_of(ctx: Context, verb: Token) -> Token | None:
    """The subject of ``verb`` outside any quote, following participles (adding that ...) up to their head."""
    shown = _shown_saying(ctx, verb) or text_that_reads(verb)
    if shown is not None:
        return shown
    for _ in range(4):
        named_in_dateline = None
        for child in ctx.children(verb):
            if child.dep_ in CLAUSE_SUBJECT_DEPS and not ctx.in_quote(child):
                if child.tag_ == "WP" and verb.dep_ == "relcl" and child.lower_ == "who":
                    return child  # "Macron, who said ...": the relative pronoun, resolved to Macron later
                if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                    return verb.head  # "the study, which notes ..."
                if is_place_aside(child):  # "WASHINGTON -- President Obama … said": the name, if no other subject
                    named_in_dateline = next((c for c in ctx.children(child) if c.dep_ == "appos"
                                              and c.pos_ == "PROPN"), None)
                    continue
                if child.tag_ in ("WDT", "WP", "EX") or child.lower_ in ("that", "this", "which") \
                        or not any(c.isalnum() for c in child.text):
                    continue  # not a speaker; nor is a dash the parser took for a noun
                return child
        if named_in_dateline is not None:
            return named_in_dateline
        if verb.dep_ == "acl" and verb.head.pos_ in ("PROPN", "NOUN"):
            return verb.head  # "footage of Hillary Clinton asking, “…”"
        if verb.dep_ == "relcl" and verb.head.pos_ in ("PROPN", "NOUN"):
            return None
        if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and is_speech_verb(verb):
            # "Price said the decision was made by the board and added, “…”": the parser joined
            # "added" to the reported clause; it goes with "said"
            verb = verb.head.head
            continue
        if verb.dep_ in _INHERITS_SUBJECT and verb.head is not verb:
            verb = verb.head
            continue
        return None
    return None


def inverted_subject(ctx: Context, verb: Token) -> Token | None:
    """``said Mr Macron``: a name right after the verb that the parser did not make its subject."""
    for token in verb.doc[verb.i + 1: verb.i + 4]:
        if ctx.in_quote(token) or token.is_punct:
            return None
        if token.pos_ == "PROPN" or token.lower_ in _SUBJECT_PRONOUNS or token.lower_ in VOX_POP \
                or (token.pos_ == "NOUN" and token.dep_ != "compound" and can_speak(token)):
            head = token
            while head.dep_ in ("compound", "flat") and head.head.i > head.i:
                head = head.head
            return head
        if token.pos_ not in ("DET", "ADJ", "NOUN"):
            return None
    return None


def noun_phrase(ctx: Context, head: Token) -> Span:
    """The mention a head noun stands for: "an Elysee Palace official", "Keir Starmer's office".

    Appositions and relative clauses are left out ("Scott Pruitt", not "Scott Pruitt, the attorney
    general of Oklahoma, who ...").
    """
    phrase = ctx.noun_phrases.get(head.i)
    if phrase is None:
        phrase = ctx.noun_phrases[head.i] = _noun_phrase(ctx, head)
    return phrase


def _noun_phrase(ctx: Context, head: Token) -> Span:
    doc = head.doc
    start = end = head.i
    right_deps = _RIGHT_DEPS_PROPER if head.pos_ == "PROPN" else _RIGHT_DEPS_COMMON
    for child in ctx.children(head):
        if ctx.in_quote(child):
            continue
        if child.i < head.i and child.dep_ in _LEFT_DEPS and child.dep_ not in ("punct", "cc", "conj", "prep"):
            start = min(start, child.left_edge.i)
        elif child.i > head.i and child.dep_ in right_deps:
            right = child.right_edge.i
            if right - head.i <= 8 and not any(ctx.in_quote(t) for t in doc[head.i:right + 1]):
                end = max(end, right)
    while start < head.i and (_is_punct(doc[start]) or ctx.in_quote(doc[start])):
        start += 1
    while end > head.i and (_is_punct(doc[end]) or doc[end].dep_ == "cc" or doc[end].pos_ in ("ADP", "DET")):
        end -= 1
    return doc[start:end + 1]


def _is_punct(token: Token) -> bool:
    return token.is_punct or not any(c.isalnum() for c in token.text)


def heads_over(ctx: Context, k: int, steps: int = 12) -> list[Token]:
    """The tokens quote k's first word hangs from in the parse, nearest first, within its sentence."""
    token = ctx.doc[ctx.token_at(ctx.quotes[k].start)]
    heads = []
    for _ in range(steps):
        if token.head.i == token.i or not ctx.same_sentence(token, token.head):
            break
        token = token.head
        heads.append(token)
    return heads


def is_relative_who(token: Token) -> bool:
    """"who" as the subject of a relative clause: "Macron, who said …"."""
    return token.lower_ == "who" and token.dep_ in CLAUSE_SUBJECT_DEPS and token.head.dep_ == "relcl"


def _is_adverbial_clause(ctx: Context, verb: Token) -> bool:
    """"as Trump went on about …", "when she said …": a clause of time or reason, not what the verb
    above reports."""
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in SUBORDINATORS for c in ctx.children(verb))


def reporting_verb(ctx: Context, verb: Token) -> Token:
    """The outermost speech verb whose report holds ``verb``: in "Obama said it would tell a story of
    “…”", the quote is Obama's, reported through "said", not the museum's."""
    outer = verb
    for _ in range(8):
        if verb.dep_ not in ("ccomp", "xcomp", "advcl") or verb.head.i == verb.i \
                or not ctx.same_sentence(verb.head, verb) or _is_adverbial_clause(ctx, verb):
            break
        verb = verb.head
        if is_speech_verb(verb):
            outer = verb
    return outer


def speaker_from_verb(ctx: Context, verb: Token) -> Span | None:
    """The mention of whoever ``verb`` says spoke, or None."""
    if verb.i not in ctx.verb_speakers:
        ctx.verb_speakers[verb.i] = _speaker_from_verb(ctx, verb)
    return ctx.verb_speakers[verb.i]


def _passive_speaker(ctx: Context, verb: Token, subject: Token) -> Token | None:
    """In "Rubio was asked by Baker whether …" the one asking is Baker; in "Rubio was asked whether …"
    nobody the verb names; in "he was quoted as saying" the subject still is."""
    agent = next((c for c in ctx.children(verb) if c.dep_ == "agent"), None)
    by = next((c for c in ctx.children(agent) if c.dep_ == "pobj"), None) if agent is not None else None
    if by is not None:
        return by
    return None if verb.lemma_.lower() in ADDRESSEE_VERBS else subject


def _speaker_from_verb(ctx: Context, verb: Token) -> Span | None:
    subject = subject_of(ctx, verb)
    if subject is None and verb.i + 1 < len(verb.doc):
        subject = inverted_subject(ctx, verb)
    if subject is not None and subject.dep_ == "nsubjpass" and subject.head.i == verb.i:
        subject = _passive_speaker(ctx, verb, subject)
    if subject is None or ctx.in_quote(subject):
        return None
    if subject.lower_ in VOX_POP:
        return noun_phrase(ctx, subject)  # "another added", "said one"
    if subject.ent_type_ in NOT_SPEAKING_SUBJECTS \
            or (subject.pos_ not in ("PROPN", "NOUN", "PRON") and not subject.ent_type_):
        return None
    if subject.pos_ == "NOUN" or subject.ent_type_ in ("GPE", "LOC"):
        # "President Trump’s special envoy, Steve Witkoff, called it …"; "WASHINGTON -- President Obama … said"
        named = [c for c in ctx.children(subject) if c.dep_ == "appos" and c.pos_ == "PROPN" and not ctx.in_quote(c)]
        if named:
            subject = named[0]
    if subject.pos_ == "PRON" and subject.lower_ not in PERSONAL_PRONOUNS and not is_relative_who(subject):
        return None
    issuer = _issuer(ctx, subject)
    return noun_phrase(ctx, issuer if issuer is not None else subject)


def _issuer(ctx: Context, noun: Token) -> Token | None:
    """Who put out the statement that speaks: in "the council issued a statement calling the test …",
    the statement is the council's words."""
    lemma = noun.lemma_.lower()
    if noun.pos_ != "NOUN" or (lemma not in SPEECH_NOUNS and lemma not in DOCUMENT_HEADS):
        return None
    if noun.dep_ != "dobj":  # "her statement said" rests on the statement; its owner speaks through it
        return None
    verb = noun.head
    if verb.lemma_.lower() not in ISSUING_VERBS:
        return None
    subject = subject_of(ctx, verb)
    if subject is None or subject.pos_ not in ("PROPN", "NOUN", "PRON") or subject.ent_type_ in NOT_SPEAKING_SUBJECTS:
        return None
    if subject.pos_ == "PRON" and subject.lower_ not in PERSONAL_PRONOUNS:
        return None
    return subject
