"""The ``kb`` command: index notes, search them, serve the site.

This is the one place that composes kb/, indexer/ and web/; it stays thin.
"""

import argparse
import html
import json
import os
import re
import sys
from pathlib import Path

from kb.errors import KbError
from kb.search import SearchRequest, open_service
from kb.store import resolve_index_dir
from kb.tagging import taxonomy_digest
from kb.taxonomy import Taxonomy, parse_taxonomy

PROJECT_DATA = Path(__file__).resolve().parent.parent / "data"
_MARK = re.compile(r"<mark>(.*?)</mark>")


def taxonomy_path(option=None):
    """The topics file: the option, $KB_TOPICS, ./data/topics.yaml, else the project's."""
    for candidate in (option, os.environ.get("KB_TOPICS"), "data/topics.yaml",
                      PROJECT_DATA / "topics.yaml"):
        if candidate and (option or Path(candidate).is_file()):
            return Path(candidate)
    return None


def load_topics(option=None):
    """(taxonomy, hash of its file); an empty taxonomy when there is none."""
    path = taxonomy_path(option)
    if path is None:
        return Taxonomy(), ""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KbError(f"{path}: cannot read the topics file: {exc.strerror}") from None
    text = data.decode("utf-8", errors="replace")
    return parse_taxonomy(text, str(path)), taxonomy_digest(data)


def default_notes():
    """The folder ``kb index`` reads when given none."""
    local = Path("data/notes")
    return local if local.is_dir() else PROJECT_DATA / "notes"


# -- kb index -------------------------------------------------------------------

def cmd_index(args):
    from kb.indexer.build import build_index

    taxonomy, digest = load_topics(args.topics)
    paths = args.paths or [default_notes()]
    index_dir = resolve_index_dir(args.index)
    report = build_index(index_dir, paths, taxonomy, digest, rebuild=args.rebuild, wait=args.wait)
    for error in report.errors:
        print(error, file=sys.stderr)
    what = "rebuilt" if report.rebuilt else "updated"
    print(f"{what} {index_dir}: {report.events} events, {report.sessions} sessions "
          f"({report.added} added, {report.updated} changed, {report.removed} removed, "
          f"{report.unchanged} of {report.files} files unchanged)")
    if report.errors:
        print(f"kb: {len(report.errors)} file(s) could not be indexed; "
              "they keep what was indexed before", file=sys.stderr)
        return 1
    return 0


# -- kb import -------------------------------------------------------------------

def cmd_import_hatena(args):
    from kb.indexer.importing import import_hatena

    report = import_hatena(args.export, args.out, blog_url=args.blog_url,
                           categories=tuple(args.category), include_drafts=args.include_drafts)
    for line in report.lines():
        print(line, file=sys.stderr if line.startswith("error:") else sys.stdout)
    if not report.ok:
        print("kb: some entries could not be imported; the others were", file=sys.stderr)
        return 1
    print(f"next: kb index {args.out}")
    return 0


# -- kb search ------------------------------------------------------------------

def _terminal_snippet(snippet, color):
    text = _MARK.sub((lambda m: f"\x1b[1;33m{m.group(1)}\x1b[0m") if color
                     else (lambda m: f"[{m.group(1)}]"), snippet)
    return html.unescape(text)


def print_results(results, out, color=False):
    """The readable form of search results."""
    data = results.to_dict()
    shown = f'"{data["query"]}"' if data["query"] else "all sessions"
    print(f"{data['total']} session(s) for {shown}, page {data['page']} of {results.pages}",
          file=out)
    for message in data["messages"]:
        print(f"note: {message}", file=out)
    if data["suggestion"]:
        print(f"did you mean: {data['suggestion']}", file=out)
    start = (data["page"] - 1) * data["limit"]
    for number, hit in enumerate(data["results"], start=start + 1):
        topics = ", ".join(t["label"] for t in hit["topics"])
        print(f"\n{number}. {hit['title']}", file=out)
        print(f"   {hit['event']['name']} · {hit['date'] or 'no date'}"
              + (f" · {topics}" if topics else ""), file=out)
        if hit["snippet"]:
            print(f"   {_terminal_snippet(hit['snippet'], color)}", file=out)
        print(f"   id: {hit['id']}" + (f"  {hit['url']}" if hit["url"] else ""), file=out)
    for name, values in data["facets"].items():
        if values:
            listed = ", ".join(f"{v['label']}{'*' if v['selected'] else ''} ({v['count']})"
                               for v in values[:10])
            print(f"\n{name}: {listed}", file=out, end="")
    print(file=out)


def cmd_search(args):
    taxonomy, _ = load_topics(args.topics)
    service = open_service(resolve_index_dir(args.index), taxonomy)
    request = SearchRequest(
        q=" ".join(args.query), events=tuple(args.event), topics=tuple(args.topic),
        years=tuple(args.year), sort=args.sort, page=args.page, per_page=args.limit,
    )
    try:
        results = service.search(request)
        explained = service.explain(request, results) if args.explain else None
    finally:
        service.close()
    if args.json:
        data = results.to_dict()
        if explained is not None:
            data["explain"] = explained
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_results(results, sys.stdout, color=sys.stdout.isatty())
        if explained is not None:
            from kb.explain import explanation_lines

            titles = {hit["id"]: hit["title"] for hit in results.results}
            print("\n".join(["", *explanation_lines(explained, titles)]))
    return 0


# -- kb serve -------------------------------------------------------------------

def cmd_serve(args):
    from kb.store import IndexStore
    from kb.web import create_app
    from kb.web.server import serve

    taxonomy, digest = load_topics(args.topics)
    index_dir = resolve_index_dir(args.index)
    if not IndexStore(index_dir).exists():
        from kb.indexer.build import build_index

        notes = default_notes()
        report = build_index(index_dir, [notes], taxonomy, digest)
        for error in report.errors:
            print(error, file=sys.stderr)
        print(f"built {index_dir} from {notes}: {report.events} events, "
              f"{report.sessions} sessions", file=sys.stderr)
    # never debug mode, whatever FLASK_DEBUG says: the site may face a network
    app = create_app({"KB_INDEX_DIR": str(index_dir), "KB_TAXONOMY": taxonomy, "DEBUG": False})
    print(f"kb: serving http://{args.host}:{args.port}/ (Ctrl-C to stop)", file=sys.stderr)
    serve(app, args.host, args.port, workers=args.workers, threads=args.threads)
    return 0


# -- the parser -------------------------------------------------------------------

def make_parser():
    parser = argparse.ArgumentParser(
        prog="kb", description="A searchable knowledge base of conference notes.")
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index", metavar="DIR",
                        help="index folder (default: $KB_INDEX_DIR, else ./.kb-index)")
    common.add_argument("--topics", metavar="FILE",
                        help="topic taxonomy (default: $KB_TOPICS, else data/topics.yaml)")

    p = sub.add_parser("index", parents=[common], help="index note files or folders")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="note files or folders (default: data/notes)")
    p.add_argument("--rebuild", action="store_true", help="start the index from scratch")
    p.add_argument("--wait", type=float, default=60, metavar="SECONDS",
                   help="how long to wait for another 'kb index' to finish (default 60)")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("import", help="turn a blog export into note files")
    kinds = p.add_subparsers(dest="kind", required=True)
    p = kinds.add_parser("hatena", help="a Hatena Blog (Movable Type format) export")
    p.add_argument("export", metavar="EXPORT.txt", help="the export file")
    p.add_argument("--blog-url", metavar="URL",
                   help="the blog's address, e.g. https://example.hatenablog.com, for links back")
    p.add_argument("--category", action="append", default=[], metavar="C",
                   help="only entries in this category; repeat for several")
    p.add_argument("--include-drafts", action="store_true", help="import drafts too")
    p.add_argument("--out", default="notes", metavar="DIR",
                   help="folder for the note files (default: ./notes)")
    p.set_defaults(func=cmd_import_hatena)

    p = sub.add_parser("search", parents=[common], help="search the indexed sessions")
    p.add_argument("query", nargs="*", metavar="QUERY", help="words; empty browses everything")
    p.add_argument("--event", action="append", default=[], metavar="E",
                   help="only this event (id or exact name); repeat for several")
    p.add_argument("--topic", action="append", default=[], metavar="T",
                   help="only this topic (id, label or alias); repeat for several")
    p.add_argument("--year", action="append", default=[], metavar="Y",
                   help="only this year; repeat for several")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="results per page")
    p.add_argument("--page", type=int, default=1, metavar="N")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--explain", action="store_true",
                   help="show how the query was analysed and why each result matched")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("serve", parents=[common],
                       help="serve the web site, indexing data/notes first when there is no index")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port to listen on (default 5000)")
    p.add_argument("--workers", type=int, default=2, metavar="N",
                   help="worker processes (default 2)")
    p.add_argument("--threads", type=int, default=4, metavar="N",
                   help="threads per worker (default 4)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv=None):
    """Run the kb command; return its exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KbError as exc:
        print(f"kb: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `kb search | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
