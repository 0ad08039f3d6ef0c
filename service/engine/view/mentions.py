"""What can be a speaker's mention, and who issued a text that speaks: the rules in one place.

A mention is a noun phrase that can speak: a person, a group, an organisation, a document, or a
description of one. It is never a verb, an adjective or a determiner alone ("A", or a capitalised
"Thanked" the model took for a name), a date or a time ("Monday"), a place named in passing ("in
Florida", "(R-OH)", a dateline "PHILADELPHIA —"), a heading in capitals ("EXPERT VIEW") or a long
stretch of a sentence.

A text speaks for whoever issued it. In "a statement e-mailed by the ministry said" the mention is
"a statement", the words the attribution rests on, and the speaker is the ministry; so too in "a
statement from X", "X's statement", "a CNN statement" and "the report by X". In "a recording
obtained by the newspaper" the newspaper only obtained it: the speaker is the recording itself.
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from .lexicon import DOCUMENT_HEADS, ISSUING_VERBS, NOUN_CUES, SPEECH_NOUNS, SPEECH_VERBS, VOX_POP, can_speak
from .tags import NOT_SPEAKERS, PLACES

MAX_MENTION_TOKENS = 16
# Parts of speech that never head a speaker's mention.
NOT_HEADS = frozenset({"VERB", "AUX", "ADJ", "ADV", "DET", "ADP", "NUM", "CCONJ", "SCONJ", "PART", "PUNCT", "SYM"})
# Entity types of places, and where a place is only named in passing: "in Florida", "(R-OH)",
# "Ohio Gov. John Kasich"; as the subject of a clause a place may stand for its government
# ("Israel said"), and the small model tags some surnames as places.
PLACE_IN_PASSING_DEPS = frozenset({"pobj", "compound", "npadvmod", "appos", "nmod", "dep", "punct"})
# Verbs by which a text is put out by someone: "a statement e-mailed by", "a letter signed by".
ISSUED_BY = ISSUING_VERBS | frozenset("email e-mail mail write sign author draft pen tweet text prepare".split())
_ISSUER_PREPOSITIONS = frozenset({"from", "by"})
_DATELINE_ENDS = frozenset({",", "—", "–", "-", "--", "(", ":"})
_ISSUER_ENTITIES = frozenset({"PERSON", "ORG", "NORP"})
_NAMED_BODIES = frozenset({"ORG", "GPE", "NORP"})
# Possessives by which an organisation or a group owns a text: "its website", "their statement".
OWNER_PRONOUNS = frozenset({"its", "their"})
_TEXTS = DOCUMENT_HEADS | SPEECH_NOUNS
_SPOKEN = _TEXTS | NOUN_CUES | {"remark"}


def is_speaker_mention(span: Span, capitals: bool = False) -> bool:
    """Can these words name a speaker? ``capitals``: a transcript's labels are in capitals."""
    if not len(span) or len(span) > MAX_MENTION_TOKENS:
        return False
    root = span.root
    if root.pos_ in NOT_HEADS and root.lower_ not in VOX_POP and not root.ent_type_:
        return False
    if root.ent_type_ in NOT_SPEAKERS or _is_place_in_passing(span) or len(span) == 1 and _is_past_of_saying(root):
        return False
    return capitals or not _is_heading(span)


def _is_past_of_saying(token: Token) -> bool:
    """A verb of saying in the past, capitalised and taken for a name: "Thanked", "Blasted", "Slammed"."""
    word = token.lower_
    if not word.endswith("ed") or len(word) < 6:
        return False
    stems = (word[:-2], word[:-1], word[:-3] if word[-3] == word[-4] else "")
    return any(stem in SPEECH_VERBS for stem in stems)


def _is_heading(span: Span) -> bool:
    words = [t.text for t in span if t.is_alpha]
    return len(words) >= 2 and all(w.isupper() and len(w) > 1 for w in words) \
        and span.root.ent_type_ not in ("PERSON", "ORG", "NORP")


def _is_place_in_passing(span: Span) -> bool:
    """A bare place name that is not the subject of a clause ("in Florida", "(R-OH)"), or a dateline."""
    root = span.root
    if root.ent_type_ not in PLACES or any(t.ent_type_ not in PLACES and t.pos_ not in ("DET", "PUNCT")
                                           for t in span):
        return False
    return is_place_aside(root) or root.dep_ in PLACE_IN_PASSING_DEPS and not _is_source_object(root)


def is_place_aside(token: Token) -> bool:
    """A place the parser may take for the subject of the sentence it opens or sits in: a dateline
    in capitals opening its paragraph ("PHILADELPHIA, July 25 —", "WASHINGTON --"), or the second half
    of a place's name ("in Berea, OH, after winning …")."""
    if token.ent_type_ not in PLACES:
        return False
    doc = token.doc
    second_half = token.i >= 2 and doc[token.i - 1].text == "," and doc[token.i - 2].ent_type_ in PLACES
    opens = token.i == 0 or "\n" in doc[token.i - 1].text_with_ws
    followed = token.i + 1 < len(doc) and doc[token.i + 1].text in _DATELINE_ENDS
    return second_half or opens and followed and token.text.isupper() and len(token.text) > 1


def _is_source_object(token: Token) -> bool:
    """The object of "according to" or of a passive's "by": a source, however the model tags it."""
    preposition = token.head
    return token.dep_ == "pobj" and (preposition.lower_ == "by" or preposition.lower_ == "to"
                                     and preposition.i > 0 and preposition.doc[preposition.i - 1].lower_ == "according")


# --- texts that speak ------------------------------------------------------------------------------

def spoken_head(span: Span) -> Token | None:
    """The noun naming a text or someone's words, when the mention is one: "a statement", "one of
    the leaked emails", "Clinton's remark"."""
    head = span.root
    if head.lower_ in VOX_POP:
        head = next((o for p in head.children if p.dep_ == "prep" and p.lower_ == "of"
                     for o in p.children if o.dep_ == "pobj"), head)
    return head if head.pos_ == "NOUN" and head.lemma_.lower() in _SPOKEN else None


def is_document(head: Token) -> bool:
    return head.lemma_.lower() in _TEXTS


def issuer(head: Token) -> Token | None:
    """Who put out the text ``head`` names, as the words around it say; None when they do not."""
    for child in head.children:
        if child.dep_ == "poss" and (child.lower_ in OWNER_PRONOUNS or can_speak(child)):
            return child  # "Price's statement", "her letter", "its website"
        if child.dep_ == "compound" and child.ent_type_ in _ISSUER_ENTITIES and child.i < head.i:
            return child  # "a CNN statement", "a Pentagon report"
        if child.dep_ == "prep" and child.lower_ in _ISSUER_PREPOSITIONS:
            return _speaking_object(child)  # "a statement from the ministry", "the report by the bank"
        if child.dep_ == "acl" and child.lemma_.lower() in ISSUED_BY:
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            if agent is not None:
                return _speaking_object(agent)  # "a statement e-mailed by the ministry"
    return None


def _speaking_object(preposition: Token) -> Token | None:
    obj = next((c for c in preposition.children if c.dep_ == "pobj"), None)
    return obj if obj is not None and (can_speak(obj) or is_body_of_named(obj)) else None


def is_body_of_named(head: Token) -> bool:
    """A common noun "of" a named place or organisation stands for a body that can speak: "the city
    of Toronto", "the province of Ontario", "the people of Gaza"."""
    if head.pos_ != "NOUN":
        return False
    return any(o.ent_type_ in _NAMED_BODIES for p in head.children if p.dep_ == "prep" and p.lower_ == "of"
               for o in p.children if o.dep_ == "pobj")


def text_that_reads(token: Token) -> Token | None:
    """"the post read", "the caption reads": the small model takes "post read" for one noun; the
    text is the one whose words follow. None for any other word."""
    if token.lower_ not in ("read", "reads") or token.pos_ not in ("NOUN", "PROPN") or token.i == 0:
        return None
    text = token.doc[token.i - 1]
    is_text = text.head.i == token.i and text.dep_ == "compound" and text.lemma_.lower() in _TEXTS
    return text if is_text else None


def document_mention(span: Span) -> Span:
    """The words a text's attribution rests on: "a statement from the ministry" -> "a statement"."""
    head, spoken = span.root, spoken_head(span)
    if spoken is None or spoken.i != head.i:
        return span
    by = issuer(head)
    if by is not None and by.i > head.i and span.end > head.i + 1:
        return span.doc[span.start:head.i + 1]
    return span

