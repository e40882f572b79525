"""Deterministic synthetic corpora of Japanese session notes.

Text is drawn from a bigram (Markov) model of morphemes learnt from real
Japanese notes — the project's own sample and test notes, plus any folder given
(`--source`, or the CORPUS variable of `make bench`) — so the vocabulary and the
term distribution (Zipf-like, with long-tail words) are those of real notes,
without repeating the same few sessions.
"""

import gzip
import json
import random
import re
from collections import defaultdict
from pathlib import Path

from kb.analysis import JapaneseTokenizer

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "data" / "notes", ROOT / "tests" / "notes"]
# What Markdown reads as a block at the start of a line: a code fence (``` or
# ~~~, which would hide the headings after it), a heading, a thematic break or
# setext underline, an HTML block, a table row, a block quote.
BLOCK_START = re.compile(r"^[\s~`#=<|>*_+-]+")
HEADING = re.compile(r"^## ", re.M)
MANPAGES_JA = Path("/usr/share/man/ja")
# roff: a font or heading macro's words are prose, other requests and escapes are not
ROFF_TEXT_MACRO = re.compile(r"^\.(?:[BI]R?|[RI]B|RI|IR|BI|S[HSMB]|TP|IP)[ \t]+", re.M)
ROFF_REQUEST = re.compile(r"^[.'].*$", re.M)
ROFF_ESCAPE = re.compile(r"\\(?:f[BIRP]|f\(..|\(..|[-&e|^ ]|s[+-]?\d|\*\(..|\*.)")
TOPIC_TAGS = ["MLOps", "GPU", "Azure", "機械学習", "検索", "Python", "Java", "DevOps",
              "コンテナ", "セキュリティ", "データベース", "IoT", "テスト", "クラウド"]


def source_texts(extra=()):
    """Bodies of real notes to learn from."""
    texts = []
    for folder in [*SOURCES, *map(Path, extra)]:
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
            text = path.read_text(encoding="utf-8")
            body = text.split("\n---\n", 1)[-1]
            texts.append(body)
    return texts


class MarkovText:
    """A bigram model of morphemes (surface forms, with the space before them)."""

    def __init__(self, texts):
        tokenizer = JapaneseTokenizer()
        self.next = defaultdict(list)
        self.starts = []
        for text in texts:
            for line in text.splitlines():
                line = line.strip().lstrip("-*#>0123456789. ")
                if len(line) < 8 or line.startswith(("!", "[", "<", "|", "```")):
                    continue
                cursor, words = 0, []
                for _, end, *_ in tokenizer.morphemes(line):
                    words.append(line[cursor:end])  # each word with the space before it
                    cursor = end
                if len(words) < 3:
                    continue
                self.starts.append(words[0])
                for a, b in zip(words, words[1:]):
                    self.next[a].append(b)
                self.next[words[-1]].append(None)
        self.vocabulary = len(self.next)

    def sentence(self, rng, max_words=40):
        word = rng.choice(self.starts)
        out = [word]
        for _ in range(max_words):
            choices = self.next.get(word)
            if not choices:
                break
            word = rng.choice(choices)
            if word is None:
                break
            out.append(word)
        return "".join(out).strip()


def make_corpus(folder, sessions, seed=42, per_event=10, body_chars=800, extra=()):
    """Write ``sessions`` sessions as note files into ``folder``; return total characters."""
    rng = random.Random(seed)
    model = MarkovText(source_texts(extra))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for e in range(-(-sessions // per_event)):
        year = 2010 + rng.randrange(16)
        name = json.dumps(f"勉強会 {e:05d} {model.sentence(rng, 6)[:30]}", ensure_ascii=False)
        lines = ["---", f"event: {name}", f"id: event-{e:05d}",
                 f"date: {year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                 f"tags: [{rng.choice(TOPIC_TAGS)}]", "---", plain_line(model.sentence(rng)), ""]
        for s in range(min(per_event, sessions - e * per_event)):
            lines.append(f"## {plain_line(model.sentence(rng, 12))[:60] or 'セッション'} {s}")
            body = []
            while sum(map(len, body)) < body_chars:
                sentence = plain_line(model.sentence(rng))
                if not sentence:
                    continue
                # a first line such as "date: ..." would read as session metadata
                body.append(f"- {sentence}" if not body or rng.random() < 0.6 else sentence)
            lines += body + [""]
        text = "\n".join(lines) + "\n"
        total += len(text)
        (folder / f"event-{e:05d}.md").write_text(text, encoding="utf-8")
    return total, model.vocabulary


def plain_line(sentence):
    """A generated sentence that Markdown reads as text: no block syntax at its start."""
    return BLOCK_START.sub("", sentence.replace("`", ""))


def count_sessions(folder):
    """Sessions (``##`` headings) in the notes of a generated corpus."""
    return sum(len(HEADING.findall(p.read_text(encoding="utf-8")))
               for p in Path(folder).glob("*.md"))


def roff_text(roff):
    """The prose of a manual page written in roff: requests and escapes left out."""
    text = ROFF_REQUEST.sub("", ROFF_TEXT_MACRO.sub("", roff))
    return ROFF_ESCAPE.sub("", text).replace('"', "")


def prose_corpus(folder, pages=MANPAGES_JA):
    """Debian's Japanese manual pages as notes, one per page; (folder, None) or (None, reason)."""
    found = sorted(pages.rglob("*.gz")) if pages.is_dir() else []
    if not found:
        return None, f"no manual pages under {pages}: apt-get install manpages-ja"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for number, path in enumerate(found):
        try:
            text = roff_text(gzip.decompress(path.read_bytes()).decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            continue  # a page in another encoding is left out
        lines = [plain_line(line) for line in text.splitlines()]
        body = "\n".join(line for line in lines if line.strip())
        (folder / f"page-{number:05d}.md").write_text(
            f"---\nevent: {json.dumps(path.name, ensure_ascii=False)}\nid: page-{number:05d}\n"
            f"---\n## {path.name}\n{body}\n", encoding="utf-8")
    return folder, None
