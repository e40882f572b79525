"""The ``kb`` command: index notes, search them, serve the site.

This is the one place that composes kb/, indexer/ and web/; it stays thin.
"""

import argparse
from importlib import metadata
import json
import os
import socket
import sys
from pathlib import Path

from kb import config
from kb.errors import KbError
from kb.requests import parse_request

DEFAULT_NOTES = Path("data/notes")


def notes_folder() -> Path:
    """The folder ``kb index`` reads when given none: ./data/notes."""
    if not DEFAULT_NOTES.is_dir():
        raise KbError("no notes folder given and no ./data/notes here: "
                      "run 'kb index FOLDER' with the folder of your notes")
    return DEFAULT_NOTES


# -- kb index -------------------------------------------------------------------

def cmd_index(args: argparse.Namespace) -> int:
    from kb.indexer.build import build_index

    taxonomy, digest = config.load_topics(args.topics)
    paths = args.paths or [notes_folder()]
    for path in paths:
        if not Path(path).exists():  # a typo, before anything is read or written
            raise KbError(f"{path}: no such file or folder")
    index_dir = config.index_dir(args.index)
    report = build_index(index_dir, paths, taxonomy, digest, rebuild=args.rebuild, wait=args.wait)
    for error in report.errors:
        print(error, file=sys.stderr)
    for old, new in (*report.renamed_events, *report.renamed):
        print(f"renamed: {old} → {new}")  # the old address now redirects to the new one
    what = "rebuilt" if report.rebuilt else "updated"
    print(f"{what} {index_dir}: {report.events} events, {report.sessions} sessions "
          f"({report.added} added, {report.updated} changed, {report.removed} removed, "
          f"{len(report.renamed)} renamed, {report.unchanged} of {report.files} files unchanged)")
    if report.errors:
        print(f"kb: {len(report.errors)} file(s) could not be indexed; "
              "they keep what was indexed before", file=sys.stderr)
        return 1
    return 0


# -- kb import -------------------------------------------------------------------

def cmd_import_hatena(args: argparse.Namespace) -> int:
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

def _highlight(color: bool):
    if color:
        return lambda piece: f"\x1b[1;33m{piece}\x1b[0m"
    return lambda piece: f"[{piece}]"


def print_results(results, out, color: bool = False) -> None:
    """The readable form of search results."""
    shown = f'"{results.query}"' if results.query else "all sessions"
    print(f"{results.total} session(s) for {shown}, page {results.page} of {results.pages}",
          file=out)
    for message in results.messages:
        print(f"note: {message}", file=out)
    if results.suggestion:
        print(f"did you mean: {results.suggestion}", file=out)
    start = (results.page - 1) * results.per_page
    for number, hit in enumerate(results.hits, start=start + 1):
        record = hit.record
        topics = ", ".join(t.label for t in record.topics)
        print(f"\n{number}. {record.title}", file=out)
        print(f"   {record.event_name} · {record.date or 'no date'}"
              + (f" · {topics}" if topics else ""), file=out)
        if hit.snippet:
            print(f"   {hit.snippet.render(str, _highlight(color))}", file=out)
        print(f"   id: {record.id}" + (f"  {record.url}" if record.url else ""), file=out)
    for name, values in results.facets.items():
        if values:
            listed = ", ".join(f"{v.label}{'*' if v.selected else ''} ({v.count})"
                               for v in values[:10])
            print(f"\n{name}: {listed}", file=out, end="")
    print(file=out)


def cmd_search(args: argparse.Namespace) -> int:
    from kb.search import open_service  # here: `kb index` has no use for the search modules

    taxonomy, _ = config.load_topics(args.topics)
    service = open_service(config.index_dir(args.index), taxonomy,
                           synonyms=config.load_synonyms(args.synonyms, taxonomy))
    request = parse_request({
        "q": args.query, "event": args.event, "topic": args.topic, "year": args.year,
        "sort": [args.sort], "page": [args.page], "limit": [args.limit],
    })
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

            titles = {hit.record.id: hit.record.title for hit in results.hits}
            print("\n".join(["", *explanation_lines(explained, titles)]))
    return 0


# -- kb serve -------------------------------------------------------------------

def cmd_serve(args: argparse.Namespace) -> int:
    from kb.engine import IndexStore
    from kb.web import create_app
    from kb.web.server import serve

    check_port(args.host, args.port)  # before building anything or saying "serving"
    taxonomy, digest = config.load_topics(args.topics)
    index_dir = config.index_dir(args.index)
    if not IndexStore(index_dir).exists() and DEFAULT_NOTES.is_dir():
        from kb.indexer.build import build_index

        report = build_index(index_dir, [DEFAULT_NOTES], taxonomy, digest)
        for error in report.errors:
            print(error, file=sys.stderr)
        print(f"built {index_dir} from {DEFAULT_NOTES}: {report.events} events, "
              f"{report.sessions} sessions", file=sys.stderr)
    # never debug mode, whatever FLASK_DEBUG says: the site may face a network
    settings = {"KB_INDEX_DIR": str(index_dir), "KB_TAXONOMY": taxonomy,
                "KB_SYNONYMS": args.synonyms, "DEBUG": False}
    # the options win over KB_BASE_URL and KB_SITE_NAME, as --index does over KB_INDEX_DIR
    settings.update({k: v for k, v in (("KB_BASE_URL", args.base_url),
                                       ("KB_SITE_NAME", args.site_name)) if v})
    app = create_app(settings)
    print(f"kb: serving http://{args.host}:{args.port}/ (Ctrl-C to stop)", file=sys.stderr)
    serve(app, args.host, args.port, workers=args.workers, threads=args.threads)
    return 0


def installed_version() -> str:
    """kb's version as installed."""
    try:
        return metadata.version("kb")
    except metadata.PackageNotFoundError:  # run from a source tree without installing
        return "(not installed)"


def check_port(host: str, port: int) -> None:
    """KbError when ``host:port`` cannot be listened on (taken, or not ours to take)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise KbError(f"cannot listen on {host}:{port} ({exc.strerror}): stop what uses it, "
                          "or choose another port with --port") from None


# -- the parser -------------------------------------------------------------------

def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kb", description="A searchable knowledge base of conference notes.")
    parser.add_argument("--version", action="version", version=f"kb {installed_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index", metavar="DIR",
                        help="index folder (default: $KB_INDEX_DIR, else ./.kb-index)")
    common.add_argument("--topics", metavar="FILE",
                        help="topic taxonomy (default: $KB_TOPICS, else ./data/topics.yaml, "
                             "else kb's own)")
    common.add_argument("--synonyms", metavar="FILE",
                        help="synonyms (default: $KB_SYNONYMS, else ./data/synonyms.yaml, "
                             "else kb's own)")

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
    p.add_argument("--sort", choices=("relevance", "date", "new"), default="relevance",
                   help="relevance, date (newest first) or new (notes added or changed last first)")
    p.add_argument("--limit", default="10", metavar="N", help="results per page (1-100)")
    p.add_argument("--page", default="1", metavar="N")
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
    p.add_argument("--base-url", metavar="URL",
                   help="where readers reach the site, for absolute links in feeds and cards "
                        "(default $KB_BASE_URL, else the request's own address)")
    p.add_argument("--site-name", metavar="NAME",
                   help="the site's name in titles and cards (default $KB_SITE_NAME, else kb)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
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
