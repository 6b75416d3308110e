"""The command line: the only place that catches user-facing errors and chooses exit codes."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from . import __version__

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing: `--help` loads only what it needs
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, NoReturn, TypeAlias

    from .content.gather import Gathered
    from .render.pool import Workers
    from .render.run import Progress

    Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


EXIT_OK, EXIT_CONTENT, EXIT_INTERRUPTED = 0, 1, 130
TOPIC_LIMIT = 300.0  # seconds a worker process may spend on one topic; the largest topics take a few
LIMIT_VARIABLE = "FLOZP_TOPIC_TIMEOUT"

INTERRUPTED = "interrupted; no output was left half-written"
UNCHANGED = "(up to date, not written)"  # how `build` lists an output it left as the last build wrote it


def _command(
    commands: Commands, name: str, summary: str, *, outputs: bool = True, quiet: bool = True
) -> argparse.ArgumentParser:
    """A subcommand taking content paths, --strict, --paper and --jobs; with `outputs`, also --out."""
    sub = commands.add_parser(name, help=summary)
    sub.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="content files or folders (default: content/)")
    sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
    sub.add_argument(
        "--paper", choices=("a4", "letter"), help="sheet paper size (default: course.yaml's paper, else a4)"
    )
    sub.add_argument("-j", "--jobs", type=int, metavar="N", help="processes to render with (default: one per core)")
    sub.add_argument(
        "--topic-timeout",
        type=_seconds,
        metavar="S",
        help=f"seconds a worker process may spend on one topic before the run stops, naming it "
        f"(default: ${LIMIT_VARIABLE}, else {TOPIC_LIMIT:g})",
    )
    if outputs:
        sub.add_argument(
            "-o", "--out", type=Path, default=Path("dist"), metavar="DIR", help="output folder (default: dist/)"
        )
        if quiet:
            sub.add_argument("-q", "--quiet", action="store_true", help="print nothing but problems")
    return sub


def _seconds(text: str) -> float:
    """A time limit: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m builder",
        description="Turn study topics written as YAML into Anki decks and one-page PDF cheat sheets.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = _command(commands, "build", "write DIR/<topic-id>.apkg and DIR/<topic-id>.pdf for every topic")
    build.add_argument("--force", action="store_true", help="rebuild every topic, even those up to date")
    _command(
        commands, "check", "validate content and check that every sheet fits one page; writes nothing", outputs=False
    )
    release = _command(commands, "release", "write a versioned release for students into DIR/release/")
    release.add_argument("--name", metavar="COURSE", help="course name (default: course.yaml's name)")
    release.add_argument(
        "--rename", action="store_true", help="replace a previous release of a course with another name"
    )
    release.add_argument(
        "--allow-dirty", action="store_true", help="release content files that are not committed (with a warning)"
    )
    preview = _command(commands, "preview", "write DIR/preview/index.html with every card and sheet", quiet=False)
    preview.add_argument(
        "--watch",
        action="store_true",
        help="serve the page on 127.0.0.1 and rebuild it whenever a content file changes",
    )
    preview.add_argument("--port", type=int, default=0, help="port for --watch (default: any free port)")
    schema = commands.add_parser("schema", help="print the JSON Schema of the content format")
    schema.add_argument("--course", action="store_true", help="the schema of course.yaml instead")
    init = commands.add_parser("init", help="create a new course repository in DIR (an empty or new folder)")
    init.add_argument("folder", type=Path, metavar="DIR")
    init.add_argument("--name", metavar="NAME", help="the course's name (default: from the folder's name)")
    return parser


def _paper(args: argparse.Namespace, gathered: Gathered) -> str:
    """--paper, else the course file's paper, else A4."""
    course = gathered.course.paper if gathered.course else None
    return str(args.paper or course or "a4")


def _lang(gathered: Gathered) -> str:
    """The course file's lang, the language of what belongs to the whole course; else English."""
    return (gathered.course.lang if gathered.course else None) or "en"


def _gather(args: argparse.Namespace, known: Mapping[str, Any] | None = None, *, say: bool = True) -> Gathered:
    """Every topic of the run (or a ContentError); with `say`, warnings go to stderr and --strict makes them
    errors. `known`: files validated before."""
    from .content.gather import gather
    from .errors import ContentError, strictly

    try:
        gathered = gather(args.paths or [Path("content")], strict=args.strict and say, known=known)
    except ContentError as exc:
        raise ContentError(strictly(exc.problems)) if args.strict and not say else exc from None
    for warning in gathered.warnings if say else ():
        print(warning, file=sys.stderr)
    return gathered


def _workers(args: argparse.Namespace) -> Workers:
    """--jobs (else one process per core) and the time limit per topic (--topic-timeout, else the variable)."""
    from .render.pool import Workers, default_workers

    return Workers(args.jobs if args.jobs and args.jobs > 0 else default_workers(), args.topic_timeout)


def _preview(args: argparse.Namespace) -> int:
    from .commands.preview.page import problems_page, write_preview
    from .commands.preview.serve import PreviewServer, watch
    from .errors import ContentError

    paths = args.paths or [Path("content")]

    def rebuild() -> str:
        gathered = _gather(args)
        return str(
            write_preview(
                list(gathered.topics),
                args.out,
                _paper(args, gathered),
                _workers(args),
                _lang(gathered),
                gathered.course.name if gathered.course else "",
            )
        )

    if not args.watch:
        print(rebuild())
        return EXIT_OK
    try:
        print(rebuild(), flush=True)
    except ContentError as exc:
        print(exc, file=sys.stderr, flush=True)
        problems_page(args.out, str(exc))
    server = PreviewServer(args.out / "preview", args.port)
    server.start()
    print(f"serving {server.url} (Ctrl-C stops)", flush=True)
    try:
        watch(paths, lambda: f"{rebuild()} rebuilt", server, lambda line: print(line, flush=True))
    finally:
        server.stop()
    return EXIT_OK


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _check(args: argparse.Namespace, gathered: Gathered) -> int:
    """Valid content whose sheets all fit one page: what `build` would accept, without writing anything.

    The sheets are fitted even when --strict already has errors to report, so that one run says
    every problem, the sheets' with the content's (`gathered` holds the content's warnings, not yet said).
    """
    from .errors import ContentError, strictly
    from .render.plan import plan
    from .render.run import sheet_problems

    course = gathered.course.name if gathered.course else None
    found = [*gathered.warnings, *sheet_problems(plan(gathered.topics, _paper(args, gathered), course), _workers(args))]
    problems = strictly(found) if args.strict else found
    if any(not p.warning for p in problems):
        raise ContentError(problems)
    for warning in problems:
        print(warning, file=sys.stderr)
    print(f"{_plural(len(gathered.topics), 'topic')} OK ({_plural(len(problems), 'warning')})")
    return EXIT_OK


def _release(args: argparse.Namespace, gathered: Gathered, workers: Workers, progress: Progress | None) -> list[str]:
    """Release what is committed, under the course's own name; say what was written and what was removed."""
    from .buildtime import uncommitted
    from .commands.release import Release, release_all
    from .errors import CourseNameMissingError, UncommittedContentError

    paths = args.paths or [Path("content")]
    name = args.name or (gathered.course.name if gathered.course else None)
    if not name:
        raise CourseNameMissingError(paths[0] if paths[0].is_dir() else paths[0].parent)
    sources = list(gathered.files) + (
        [Path(gathered.course.source)] if gathered.course and gathered.course.source else []
    )
    dirty = uncommitted(sources)
    if dirty is None:
        print("warning: the content is not in a git repository; build times come from file times", file=sys.stderr)
    elif dirty and not args.allow_dirty:
        raise UncommittedContentError(dirty)
    elif dirty:
        listing = ", ".join(str(p) for p in dirty)
        print(
            f"warning: releasing uncommitted files; their build times will change when committed: {listing}",
            file=sys.stderr,
        )
    per_day = gathered.course.new_per_day if gathered.course else 20
    options = Release(name, _paper(args, gathered), per_day, args.rename, _lang(gathered), args.strict)
    released = release_all(list(gathered.topics), args.out, options, workers, progress)
    for problem in released.warnings:
        print(problem, file=sys.stderr)
    return [str(p) for p in released.written] + [f"removed {p}" for p in released.removed]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if hasattr(args, "topic_timeout") and args.topic_timeout is None:
        variable = os.environ.get(LIMIT_VARIABLE, "").strip()
        try:
            args.topic_timeout = _seconds(variable) if variable else TOPIC_LIMIT
        except argparse.ArgumentTypeError as exc:
            parser.error(f"{LIMIT_VARIABLE}: {exc}")
    from .errors import BuilderError, ContentError  # not before: `--help` and `--version` need neither

    try:
        if args.command == "schema":
            from .content.schema import COURSE, TOPIC, json_schema_text

            sys.stdout.write(json_schema_text(COURSE if args.course else TOPIC))
            return EXIT_OK
        if args.command == "init":
            from .commands.init import init_course

            for path in init_course(args.folder, args.name):
                print(path)
            return EXIT_OK
        if args.command == "preview":
            return _preview(args)
        if args.command == "check":
            return _check(args, _gather(args, say=False))
        if args.command == "build":
            from .commands.buildcache import read_cache, run_inputs, unchanged

            cache = read_cache(args.out)
            inputs = run_inputs(args.paths or [Path("content")], args.paper, args.strict)
            answered = unchanged(cache, inputs[0]) if inputs and not args.force else None
            if answered:
                warnings, outputs = answered
                print(*warnings, sep="\n", file=sys.stderr, end="\n" if warnings else "")
                if not args.quiet:
                    print(*(f"{path} {UNCHANGED}" for path in outputs), sep="\n", end="\n" if outputs else "")
                return EXIT_OK
            gathered = _gather(args, {} if args.force else cache.checked)
        else:
            gathered = _gather(args)
        from .render.run import terminal_progress

        workers = _workers(args)
        progress = None if args.quiet else terminal_progress()
        if args.command == "release":
            written = _release(args, gathered, workers, progress)
        else:
            from .commands.build import build_all

            paper = _paper(args, gathered)
            built, sheets = build_all(
                gathered, args.out, paper, cache, args.force, workers, progress, inputs, args.strict
            )
            for problem in sheets:
                print(problem, file=sys.stderr)
            written = [str(path) if wrote else f"{path} {UNCHANGED}" for path, wrote in built]
        if not args.quiet:
            for line in written:
                print(line)
        return EXIT_OK
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(1 for p in exc.problems if not p.warning)
        outcome = "" if args.command == "check" else "; nothing was written"
        print(f"{_plural(errors, 'problem')} found{outcome}", file=sys.stderr)
        return EXIT_CONTENT
    except BuilderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED


def run() -> NoReturn:
    """The process's entry point: a Ctrl-C at any moment ends in exit 130 and one line, or in the run's own code.

    Once `main` has finished, Ctrl-C is ignored: the run's outputs are complete
    and a late signal must not turn a finished run into a death by signal.
    """
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # from here on, Ctrl-C is a KeyboardInterrupt
        try:
            code = main()
        finally:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print(INTERRUPTED, file=sys.stderr)
        code = EXIT_INTERRUPTED
    # The run is over and everything it opened is closed. Leaving here, not through the interpreter's
    # shutdown, keeps the exit code the run's own: Python ends a process that saw a KeyboardInterrupt at
    # some point by killing itself with SIGINT, which a caller reads as a crash (seen 1 time in 30).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
