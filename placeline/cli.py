"""``placeline`` command line: a stable public contract (see README, "Command line").

User errors end with a non-zero exit code and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from placeline.errors import InputError, PlacelineError
from placeline.model import Analysis, Document

EXPORT_FORMATS = ("html", "geojson", "csv", "timelinejs", "storymap")
EXIT_USER_ERROR = 2


class _ArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors through the same one-line channel."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InputError(f"{self.prog}: {message}")


def _build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(prog="placeline", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_ArgumentParser)

    analyze = commands.add_parser("analyze", help="print the analysis of an article as JSON")
    analyze.add_argument("path", nargs="?", help="article file (.txt, .md, .html) or - for stdin")
    analyze.add_argument("--jsonl", metavar="IN.jsonl", help="one JSON object per line: id, text, …")
    _add_document_options(analyze)
    analyze.add_argument("--format", choices=("json",), default="json")
    analyze.add_argument("--indent", type=int, default=None, help="pretty-print JSON")
    analyze.add_argument("--include-text", action="store_true", help="put the text in the JSON")

    export = commands.add_parser("export", help="export articles as a map, table or story")
    export.add_argument("paths", nargs="+", metavar="PATH", help="articles or analysis JSON files")
    _add_document_options(export)
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    export.add_argument("-o", "--output", help="output file (default: stdout)")

    evaluate = commands.add_parser(
        "evaluate", help="score placeline against the gold data in ../shared", add_help=False
    )
    evaluate.add_argument("evaluate_args", nargs=argparse.REMAINDER)
    return parser


def _add_document_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--published", metavar="YYYY-MM-DD", help="publication date")
    parser.add_argument("--lang", choices=("de", "en"), help="article language (default: detect)")
    parser.add_argument(
        "--geocoder",
        choices=("offline", "nominatim", "photon"),
        default="offline",
        help="look up names the embedded gazetteer lacks with an online geocoder (opt-in)",
    )
    parser.add_argument("--geocoder-url", help="base URL of a self-hosted geocoder")
    parser.add_argument(
        "--no-demonyms",
        dest="demonyms",
        action="store_false",
        default=None,
        help="nationality words (Russian, Syrian) are not mentions of their country "
        "(default: they are; PLACELINE_DEMONYMS=0 sets it too)",
    )
    parser.add_argument("--project", help="apply this project's corrections")
    parser.add_argument("--db", help="project database (default: PLACELINE_DB or the cache dir)")


def _read_document(path: str, *, lang: str | None, published: str | None) -> Document:
    from placeline.ingest import document_from_upload

    if path == "-":
        data = sys.stdin.buffer.read()
        return document_from_upload("stdin.txt", data, lang=lang, published=published)
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not an article file") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    document = document_from_upload(file.name, data, lang=lang, published=published)
    return dataclasses.replace(document, id=file.stem)


def _jsonl_documents(path: str, *, lang: str | None, published: str | None) -> Iterator[Document]:
    from placeline.ingest import document_from_text

    stream: TextIO
    stream = sys.stdin if path == "-" else _open_text(path)
    with stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}, line {number}: not JSON ({exc.msg})") from None
            if not isinstance(record, dict) or "text" not in record or "id" not in record:
                raise InputError(f"{path}, line {number}: each line needs an \"id\" and a \"text\"")
            try:
                yield document_from_text(
                    record["text"],
                    doc_id=str(record["id"]),
                    title=record.get("title"),
                    lang=record.get("lang") or lang,
                    published=record.get("published") or published,
                )
            except InputError as exc:
                raise InputError(f"{path}, line {number}: {exc}") from None


def _open_text(path: str) -> TextIO:
    try:
        return open(path, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None


def _place_finder(args: argparse.Namespace):
    """The default finder (None: it follows PLACELINE_DEMONYMS), or one with the options given
    here: an online geocoder for the names the gazetteer lacks, ``--no-demonyms``."""
    if args.geocoder == "offline" and args.demonyms is None:
        return None
    from placeline.places import PlaceFinder
    from placeline.places.geocoders import online_geocoder_from_settings
    from placeline.settings import Settings

    settings = Settings.from_env()
    online_geocoder = None
    if args.geocoder != "offline":
        settings = dataclasses.replace(
            settings,
            online_geocoder=args.geocoder,
            geocoder_url=args.geocoder_url or settings.geocoder_url,
        )
        online_geocoder = online_geocoder_from_settings(settings)
    demonyms = settings.demonyms if args.demonyms is None else args.demonyms
    return PlaceFinder(online_geocoder=online_geocoder, demonyms=demonyms)


def _analyze(document: Document, args: argparse.Namespace, finder) -> Analysis:
    from placeline.pipeline import analyze

    analysis = analyze(document, place_finder=finder)
    if args.project:
        analysis = _apply_project_corrections(analysis, args)
    return analysis


def _apply_project_corrections(analysis: Analysis, args: argparse.Namespace) -> Analysis:
    from placeline.corrections import apply_corrections, document_hash
    from placeline.settings import Settings
    from placeline.store import Store

    path = Path(args.db) if args.db else Settings.from_env().resolved_db_path
    if not path.exists():
        raise InputError(f"no project database at {path}")
    store = Store.open(path)
    try:
        if args.project not in {project.name for project in store.list_projects()}:
            raise InputError(f"no project named {args.project!r} in {path}")
        corrections = store.corrections(document_hash(analysis.document.text))
    finally:
        store.close()
    applied = apply_corrections(analysis, corrections)
    # The problems are in the analysis' notices too; stderr tells a shell user at once.
    for problem in applied.problems:
        print(f"placeline: correction not applied: {problem.message}", file=sys.stderr)
    return applied.analysis


def _load_analyses(args: argparse.Namespace, finder) -> list[Analysis]:
    from placeline.serialize import analysis_from_dict

    analyses = []
    for path in args.paths:
        if path.endswith(".json") and path != "-":
            with _open_text(path) as stream:
                try:
                    data = json.load(stream)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}: not JSON ({exc.msg})") from None
            if data.get("schema") != "placeline.analysis/1" or "text" not in data.get("document", {}):
                raise InputError(
                    f"{path}: not a placeline analysis with its text "
                    "(make one with: placeline analyze --include-text)"
                )
            analyses.append(analysis_from_dict(data))
        else:
            document = _read_document(path, lang=args.lang, published=args.published)
            analyses.append(_analyze(document, args, finder))
    return analyses


def _export(analyses: Sequence[Analysis], fmt: str) -> str:
    from placeline.render import exports

    if fmt == "geojson":
        return json.dumps(exports.export_geojson(analyses), ensure_ascii=False, indent=1)
    if fmt == "timelinejs":
        return json.dumps(exports.export_timelinejs(analyses), ensure_ascii=False, indent=1)
    if fmt == "storymap":
        return json.dumps(exports.export_storymap(analyses), ensure_ascii=False, indent=1)
    if fmt == "csv":
        return exports.export_csv(analyses)
    return exports.export_html(analyses)


def run(argv: Sequence[str], *, stdout: TextIO) -> int:
    argv = list(argv)
    if argv[:1] == ["evaluate"]:
        # The evaluation has its own options parser; argparse.REMAINDER would reject them.
        from placeline.evaluation import main as evaluate_main

        return evaluate_main(argv[1:], out=stdout)
    args = _build_parser().parse_args(argv)

    from placeline.serialize import analysis_to_dict

    finder = _place_finder(args)
    if args.command == "analyze":
        if bool(args.path) == bool(args.jsonl):
            raise InputError("placeline analyze: give either PATH or --jsonl IN.jsonl")
        if args.jsonl:
            for document in _jsonl_documents(args.jsonl, lang=args.lang, published=args.published):
                analysis = _analyze(document, args, finder)
                line = analysis_to_dict(analysis, include_text=args.include_text)
                stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
            return 0
        document = _read_document(args.path, lang=args.lang, published=args.published)
        data = analysis_to_dict(_analyze(document, args, finder), include_text=args.include_text)
        stdout.write(json.dumps(data, ensure_ascii=False, indent=args.indent) + "\n")
        return 0

    output = _export(_load_analyses(args, finder), args.format)
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
    else:
        stdout.write(output if output.endswith("\n") else output + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv, stdout=sys.stdout)
    except PlacelineError as exc:
        print(f"placeline: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("placeline: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
