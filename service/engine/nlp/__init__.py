"""spaCy plumbing: loading the pipeline once, parsing in bounded pieces, the attribute ruler and
lemmatizer answered from tables, and what parsing leaves in memory given back."""
