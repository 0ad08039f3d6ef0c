"""quotes: find the direct quotes in a news article and say who said them."""
__version__ = "0.1.0"
