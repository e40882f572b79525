"""The default topic taxonomy and synonyms, installed inside kb as ``kb.data``."""
