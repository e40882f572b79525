"""Sessions per year, for all sessions or those of one topic."""

from kb.facets import selection_mask


def sessions_per_year(service, topic_id=None):
    """(year, count) pairs in ascending years, with the empty years in between filled with 0."""
    snapshot = service.current()
    sessions = selection_mask(snapshot.masks["topic"], (topic_id,) if topic_id else (),
                              snapshot.all)
    counts = {year: (mask & sessions).bit_count()
              for year, mask in snapshot.masks["year"].items() if year.isdigit()}
    counts = {year: n for year, n in counts.items() if n}
    if not counts:
        return []
    first, last = int(min(counts)), int(max(counts))
    return [(str(year), counts.get(str(year), 0)) for year in range(first, last + 1)]
