"""Every match of a query through whoosh's own matchers, and paging by date.

Searches are scored over posting arrays (:mod:`kb.arrays`); whoosh's matchers
still answer the kinds of query the arrays do not know, and the tests check
the arrays against them. Whoosh's own ``search`` finds the top N, while facet
counts need every match: the collector gathers all of them with their scores.
"""

from array import array

from whoosh.collectors import Collector


class ScoreCollector(Collector):
    """Collects every matching document number with its score."""

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.docnums = array("l")
        self.scores = array("d")

    def matches(self):
        # step the matcher itself: all_ids() is faster but leaves score() behind
        return self._step_through_matches()

    def collect(self, sub_docnum):
        self.docnums.append(self.offset + sub_docnum)
        self.scores.append(self.matcher.score())

    def sort_key(self, sub_docnum):
        return 0

    def remove(self, global_docnum):
        raise NotImplementedError

    def results(self):
        return self


def score_matches(searcher, query):
    """(document numbers, scores) of every document that matches ``query``."""
    collector = ScoreCollector()
    searcher.search_with_collector(query, collector)
    return collector.docnums, collector.scores


def bits(mask):
    """A bytes view of a bitmask, for testing single bits without shifting big ints."""
    return mask.to_bytes((mask.bit_length() + 7) // 8 or 1, "little")


def has(view, n):
    """Whether bit ``n`` is set in a bytes view."""
    i = n >> 3
    return i < len(view) and view[i] >> (n & 7) & 1


def in_order(order, mask, start, count):
    """Document numbers ``start`` to ``start + count`` of ``order`` that lie in ``mask``."""
    view, page, seen = bits(mask), [], 0
    for n in order:
        if has(view, n):
            if seen >= start:
                page.append(n)
                if len(page) == count:
                    break
            seen += 1
    return page
