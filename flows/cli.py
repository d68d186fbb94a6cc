"""The `jianggao` command: its parser, and the commands that serve, detect, explain, check and export
(`jianggao run` is `flows.run_command`).

Prefect is imported only by the commands that need it, after quiet, offline-friendly defaults
are set (no per-task chatter, no telemetry), so `jianggao detect` starts in a blink.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from cleaners.settings import Settings
from flows.orchestration.runners import RUNNERS
from flows.run_command import EXIT_CODES, cmd_run, quiet_prefect


def cmd_serve(args: argparse.Namespace) -> int:
    if not os.environ.get("PREFECT_API_URL"):
        from prefect.settings import PREFECT_API_URL

        if not PREFECT_API_URL.value():
            print(
                "jianggao: schedules need a Prefect server: run `prefect server start` and "
                "`prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api` first",
                file=sys.stderr,
            )
            return 2
    quiet_prefect(args.verbose)
    from flows.orchestration.deployments import serve_deployments

    serve_deployments(args.raw_dir, args.clean_dir, args.cron, args.timezone)
    return 0


def cmd_detect(args: argparse.Namespace) -> int:
    from flows.record_tools.detect import detect_files

    return detect_files(args.files, args.json)


def cmd_explain(args: argparse.Namespace) -> int:
    from cleaners.explain import describe, explain_input

    failed = 0
    for name in args.files:
        try:
            data = Path(name).read_bytes()
        except OSError as error:
            print(f"jianggao explain: {name}: {error.strerror or error}", file=sys.stderr)
            failed += 1
            continue
        print("\n".join(describe(explain_input(data, Path(name).name))), end="\n\n")
    return 1 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from cleaners.records import load_schema

    print(json.dumps(load_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from flows.record_tools.validate import validate_folder

    return validate_folder(Path(args.clean_dir))


def cmd_export(args: argparse.Namespace) -> int:
    from flows.record_tools.export import export_records

    if not Path(args.clean_dir).is_dir():
        print(f"jianggao: clean folder not found: {args.clean_dir}", file=sys.stderr)
        return 2

    def warn(line: str) -> None:
        print(f"jianggao export: {line}", file=sys.stderr)

    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            done = export_records(Path(args.clean_dir), args.unit, out, warn, args.canonical_only)
        print(f"{done.rows} {args.unit} rows written to {args.output}", file=sys.stderr)
    else:
        done = export_records(Path(args.clean_dir), args.unit, sys.stdout, warn, args.canonical_only)
        sys.stdout.flush()  # a closed pipe shows here, inside main's BrokenPipeError handling
    if done.bad_files:
        warn(f"{done.bad_files} file{'s' if done.bad_files > 1 else ''} left out (named above)")
    return 1 if done.bad_files else 0


def cmd_review(args: argparse.Namespace) -> int:
    from flows.record_tools.review import write_review

    clean = Path(args.clean_dir)
    if not clean.is_dir():
        print(f"jianggao: clean folder not found: {clean}", file=sys.stderr)
        return 2
    problems: list[str] = []
    page = write_review(clean, Path(args.output) if args.output else None, problems.append)
    for line in problems:
        print(f"jianggao review: {line}", file=sys.stderr)
    print(f"review page written to {page}")
    bad = sum(1 for line in problems if not line.endswith("skipped"))
    return 1 if bad else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jianggao", description="Clean scraped Chinese speech documents into YAML records."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="clean every file under RAW_DIR into records under CLEAN_DIR",
        epilog=EXIT_CODES,
    )
    run.add_argument("raw_dir", nargs="?", default="raw")
    run.add_argument("clean_dir", nargs="?", default="clean")
    run.add_argument("--batch-size", type=int, default=Settings.batch_size, help="inputs per task")
    run.add_argument("--max-bytes", type=int, default=Settings.max_bytes, help="refuse larger inputs")
    run.add_argument("--force", action="store_true", help="clean every input again, changed or not")
    run.add_argument("--prune", action="store_true", help="delete records of inputs that disappeared")
    run.add_argument("--runner", choices=RUNNERS, default=RUNNERS[0])
    run.add_argument("--address", help="with --runner dask: scheduler address, e.g. tcp://HOST:8786")
    run.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    run.add_argument("-v", "--verbose", action="store_true", help="show Prefect's logs")
    run.set_defaults(func=cmd_run)

    detect = sub.add_parser("detect", help="print the encoding each file would be decoded with")
    detect.add_argument("files", nargs="+")
    detect.add_argument("--json", action="store_true", help="one JSON object per line")
    detect.set_defaults(func=cmd_detect)

    explain = sub.add_parser(
        "explain", help="follow files through the stages: what each kept, dropped (why) and rewrote"
    )
    explain.add_argument("files", nargs="+", metavar="FILE")
    explain.set_defaults(func=cmd_explain)

    serve = sub.add_parser(
        "serve", help="serve the scheduled and manual deployments (needs a Prefect server)"
    )
    serve.add_argument("raw_dir", nargs="?", default="raw")
    serve.add_argument("clean_dir", nargs="?", default="clean")
    serve.add_argument("--cron", default="0 2 * * *", help="schedule of the scheduled deployment")
    serve.add_argument("--timezone", default="UTC")
    serve.add_argument("-v", "--verbose", action="store_true")
    serve.set_defaults(func=cmd_serve)

    schema = sub.add_parser("schema", help="print the record's JSON Schema")
    schema.set_defaults(func=cmd_schema)

    validate = sub.add_parser("validate", help="check every record in CLEAN_DIR against the schema")
    validate.add_argument("clean_dir", nargs="?", default="clean")
    validate.set_defaults(func=cmd_validate)

    export = sub.add_parser("export", help="records as JSON Lines, one line per speech/section/paragraph")
    export.add_argument("clean_dir", nargs="?", default="clean")
    export.add_argument("--format", choices=["jsonl"], default="jsonl")
    export.add_argument("--unit", choices=["speech", "section", "paragraph"], default="speech")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    export.add_argument(
        "--canonical-only", action="store_true", help="one record per cluster of copies: its canonical copy"
    )
    export.set_defaults(func=cmd_export)

    review = sub.add_parser("review", help="write a static HTML page of kept text beside removed lines")
    review.add_argument("clean_dir", nargs="?", default="clean")
    review.add_argument("-o", "--output", help="page to write (default: CLEAN_DIR/review.html)")
    review.set_defaults(func=cmd_review)
    return parser


def main(argv: list[str] | None = None) -> int:
    # numpy's OpenBLAS starts a thread per extra core that spins at start-up, on the cores the
    # workers need; jianggao's arrays are far too small for threaded BLAS. A user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except KeyboardInterrupt:  # Ctrl-C before a command set its own handling: no traceback
        print("\njianggao: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `jianggao export | head`: the reader has all it wanted
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
