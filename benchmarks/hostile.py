"""Hostile notes of 200 KB, each indexed by `kb index` as a user runs it.

    python -m benchmarks.hostile [--size 200000] [--only NAME] [--parse-only]

Every shape is a note a careless paste or an attacker could write: thousands of
identical headings, unclosed brackets, deep nesting, one huge line. Each is
indexed into a fresh index; the figure is the wall time of the whole run
(starting Python and the tokenizer included), the processor time it took (which a
busy machine does not inflate), and the exit status.
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB = [sys.executable, "-m", "kb"]
HEAD = "---\nevent: Hostile\nid: hostile\ndate: 2024-01-01\n---\n"
SESSION = "## セッション\n"


def _fill(unit, size):
    return unit * max(1, size // len(unit.encode()))


def shapes(size):
    """(name, note text) of every hostile shape, each about ``size`` bytes."""
    body = size - len(HEAD) - len(SESSION)
    return [
        ("identical headings", HEAD + _fill("## a\n", body)),
        ("identical Japanese headings", HEAD + _fill("## 同じ題\n", body)),
        ("headings with links", HEAD + _fill("## [題](https://example.com/a)\n", body)),
        ("open brackets", HEAD + SESSION + _fill("[", body)),
        ("open image brackets", HEAD + SESSION + _fill("![", body)),
        ("unclosed links", HEAD + SESSION + _fill("[a](", body)),
        ("brackets on lines", HEAD + SESSION + _fill("[[[[[[[[[[\n", body)),
        ("asterisks", HEAD + SESSION + _fill("*a ", body)),
        ("underscores", HEAD + SESSION + _fill("_", body)),
        ("backticks", HEAD + SESSION + _fill("`a ", body)),
        ("angle brackets", HEAD + SESSION + _fill("<a ", body)),
        ("entities", HEAD + SESSION + _fill("&amp;&#12354;", body)),
        ("nested quotes", HEAD + SESSION + _fill(">", body)),
        ("nested quotes on lines", HEAD + SESSION
         + "".join(">" * i + " a\n" for i in range(1, 600))[:body]),
        ("nested lists", HEAD + SESSION + "".join("  " * i + "- a\n" for i in range(400))[:body]),
        ("list markers on one line", HEAD + SESSION + _fill("- ", body)),
        ("blank lines", HEAD + SESSION + "a\n" + _fill("\n", body) + "b\n"),
        ("one long Japanese line", HEAD + SESSION + _fill("機械学習の推論を高速化した。", body)),
        ("Japanese lines", HEAD + SESSION + _fill("機械学習の推論を高速化した。\n", body)),
        ("images on one line", HEAD + SESSION + _fill("![a](u) ", body)),
        ("images with captions", HEAD + SESSION + _fill("![a](https://e.x/a.png)\n図\n\n", body)),
        ("Fotolife references", HEAD + SESSION + _fill("[f:id:u:20200619132403p:plain]\n", body)),
        ("metadata lines", HEAD + "## s\n" + _fill("speakers: 山田\n", body)),
        ("fences", HEAD + SESSION + _fill("```\n", body)),
        ("unclosed fence", HEAD + SESSION + "```\n" + _fill("## 題\n", body)),
        ("table", HEAD + SESSION + "|a|b|\n|-|-|\n" + _fill("|1|2|\n", body)),
        ("wide table", HEAD + SESSION + "|" + "a|" * 2000 + "\n|" + "-|" * 2000 + "\n"
         + _fill("|1", body - 8000)),
        ("pipes", HEAD + SESSION + _fill("|", body)),
        ("containers", HEAD + SESSION + _fill(":::message\n", body)),
        ("reference definitions", HEAD + SESSION + "".join(
            f"[r{i}]: https://example.com/{i}\n" for i in range(body // 30))),
        ("reference uses", HEAD + SESSION + "[r]: https://example.com/\n" + _fill("[r] ", body)),
        ("autolinks", HEAD + SESSION + _fill("<https://example.com/", body)),
        ("emphasis runs", HEAD + SESSION + _fill("**a*", body)),
        ("strikethrough", HEAD + SESSION + _fill("~~a", body)),
        ("backslashes", HEAD + SESSION + _fill("\\", body)),
        ("setext underlines", HEAD + SESSION + _fill("a\n=\n", body)),
        ("tags in front matter", "---\nevent: Hostile\ntags: [" + _fill("t, ", body) + "t]\n---\n"
         + SESSION),
        ("nested front matter", "---\nevent: Hostile\nx: " + "[" * 3000 + "]" * 3000
         + "\n---\n" + SESSION),
        ("NUL-free control characters", HEAD + SESSION + _fill("\x01\x02a\u200b\u202e", body)),
    ]


def _cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(text, folder, parse_only):
    """Index one note; return (seconds, processor seconds, exit status, last line of stderr)."""
    note = folder / "hostile.md"
    note.write_text(text, encoding="utf-8")
    started, cpu = time.monotonic(), _cpu()
    if parse_only:
        code = ("import sys; from kb.indexer.sources import parse_source; "
                "from kb.text import markdown_to_text as t; "
                "e = parse_source(open(sys.argv[1], 'rb').read(), sys.argv[1]); "
                "[t(s.body) for s in (e.sessions if e else ())]")
        argv = [sys.executable, "-c", code, str(note)]
    else:
        argv = [*KB, "index", "--rebuild", "--index", str(folder / "index"), str(note)]
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=600,
                              env={"KB_TOPICS": str(ROOT / "data" / "topics.yaml"),
                                   "PATH": "/usr/bin:/bin"})
    except subprocess.TimeoutExpired:
        return None, None, "timeout", ""
    last = (proc.stderr.strip().splitlines() or [""])[-1]
    return time.monotonic() - started, _cpu() - cpu, proc.returncode, last


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--only", help="run the shapes whose name contains this")
    parser.add_argument("--parse-only", action="store_true", help="time parsing alone")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'shape':32} {'KB':>4} {'seconds':>8} {'cpu s':>6}  exit  message")
        for name, text in shapes(args.size):
            if args.only and args.only not in name:
                continue
            seconds, cpu, status, message = run(text, folder, args.parse_only)
            shown = "    >600      -" if seconds is None else f"{seconds:8.2f} {cpu:6.2f}"
            print(f"{name:32} {len(text.encode()) / 1000:4.0f} {shown}  {status!s:>4}  "
                  f"{message[-60:]}", flush=True)


if __name__ == "__main__":
    main()
