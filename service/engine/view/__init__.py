"""The view of one parsed article that attribution reads: the shared ``Context``, phrases around a quote,
what can be a speaker's mention, names, the entity view (mentions, entities, resolution) and the word
lists."""
