"""Who said each quote: the sieve records in the order they run, what kind of quote each one is, how
sure each decision is, and the speakers named from the entity view."""
