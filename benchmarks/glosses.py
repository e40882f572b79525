"""How often UniDic's English gloss of a loanword is of another sense than the notes'.

    python -m benchmarks.glosses NOTES_DIR [NOTES_DIR ...] [--top 200]

Counts the glossed words of the notes (ブラウザ-browser) as the index sees
them, and compares the most frequent with the judgments made by hand in
benchmarks/gloss_judgments.yaml (a gloss is right when it is the sense the
notes use). Prints the share of wrong glosses among the judged ones, by words
and by occurrences, whether data/synonyms.yaml corrects each, and the frequent
glossed words nobody has judged yet.
"""

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

from kb.analysis import JapaneseTokenizer, is_stop, normalize
from kb.glosses import split_gloss
from kb.indexer.sources import find_note_files, parse_source, read_note
from kb.synonyms import load_synonyms
from kb.text import markdown_to_text

JUDGMENTS = Path(__file__).resolve().parent / "gloss_judgments.yaml"


def glossed_words(texts, tokenizer):
    """Counter of (lemma, gloss) over every glossed word of ``texts``."""
    found = Counter()
    for text in texts:
        for _, _, surface, tag, lemma, _ in tokenizer.morphemes(text):
            if not is_stop(tag, lemma, surface):
                word, gloss = split_gloss(lemma)
                if gloss:
                    found[normalize(word), gloss] += 1
    return found


def note_texts(paths):
    """The plain text of every session of the notes under ``paths``."""
    texts = []
    for path in paths:
        for file in find_note_files(path)[0]:
            event = parse_source(read_note(file), str(file))
            if event is not None:
                texts += [s.title + "\n" + markdown_to_text(s.body) for s in event.sessions]
    return texts


def report(found, judgments, glosses, top, out=sys.stdout):
    """Print the measure; return (share of wrong words, share of wrong occurrences) among the judged."""
    right, wrong = set(judgments.get("right") or ()), dict(judgments.get("wrong") or {})
    judged = [(key, n) for key, n in found.most_common(top) if "-".join(key) in right | set(wrong)]
    bad = [(key, n) for key, n in judged if "-".join(key) in wrong]
    words = len(bad) / max(1, len(judged))
    uses = sum(n for _, n in bad) / max(1, sum(n for _, n in judged))
    print(f"glossed words: {len(found)}, occurrences: {sum(found.values())}", file=out)
    print(f"judged: {len(judged)} of the {top} most frequent, "
          f"{sum(n for _, n in judged)} occurrences", file=out)
    print(f"wrong sense: {len(bad)} words ({words:.1%}), "
          f"{sum(n for _, n in bad)} occurrences ({uses:.1%})", file=out)
    for (word, gloss), n in bad:
        fixed = glosses.get(word)
        state = f"corrected to {fixed!r}" if fixed else ("removed" if fixed == "" else "NOT corrected")
        print(f"  {word}-{gloss} x{n}: means {wrong[word + '-' + gloss]!r}, {state}", file=out)
    unjudged = [f"{w}-{g}" for (w, g), _ in found.most_common(top)
                if f"{w}-{g}" not in right and f"{w}-{g}" not in wrong]
    if unjudged:
        print(f"not judged yet: {', '.join(unjudged)}", file=out)
    return words, uses


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="folders or files of notes")
    parser.add_argument("--top", type=int, default=200, help="how many of the most frequent to judge")
    args = parser.parse_args(argv)
    judgments = yaml.safe_load(JUDGMENTS.read_text(encoding="utf-8"))
    found = glossed_words(note_texts(args.paths), JapaneseTokenizer())
    report(found, judgments, load_synonyms().glosses, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
