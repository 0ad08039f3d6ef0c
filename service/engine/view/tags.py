"""The parse's labels the view reads, each set defined once: dependency labels and entity types."""
from __future__ import annotations

# The subject of a verb (active or passive).
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# ... and a clause as subject ("What he said was …").
CLAUSE_SUBJECT_DEPS = SUBJECT_DEPS | {"csubj"}
# What ties a word to the noun it names or qualifies ("a meeting of the “…”", "the “…” plan").
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "appos", "poss", "npadvmod"})
# Entity types that never speak ("Monday", "12:15 p.m.", "75 percent"); a number may ("said one",
# "one of the men")
NOT_SPEAKERS = frozenset({"DATE", "TIME", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# ... except as the subject of a verb of saying, once "one" and "another" are read as a member of a crowd.
NOT_SPEAKING_SUBJECTS = NOT_SPEAKERS | {"CARDINAL"}
# Entity types of places.
PLACES = frozenset({"GPE", "LOC", "FAC"})
