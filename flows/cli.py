"""The `jianggao` command: run or serve the flow, detect encodings, check and export records.

Prefect is imported only by the commands that need it, after quiet, offline-friendly defaults
are set (no per-task chatter, no telemetry), so `jianggao detect` starts in a blink.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import json
import logging
import os
import sys
from pathlib import Path

from cleaners.settings import Settings
from flows.runners import RUNNERS


def _quiet_prefect(verbose: bool) -> None:
    """Defaults for an embedded, offline Prefect; a user's own environment still wins."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "INFO" if verbose else "CRITICAL")
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "info" if verbose else "warning")
    if not verbose:
        # "Still processing items: 2 items remaining...": Prefect's event sender, flushing its
        # last events at exit as it should; nothing the user can act on.
        logging.getLogger("EventsWorker").setLevel(logging.ERROR)


def _skip_final_collection() -> None:
    """Freeze the heap as the process exits. The interpreter's last garbage collection would
    otherwise walk every object Prefect made (half a second or more here) just before the
    operating system takes all the memory back anyway."""
    gc.freeze()


def cmd_run(args: argparse.Namespace) -> int:
    atexit.register(_skip_final_collection)  # registered first, so it runs last
    raw, clean = Path(args.raw_dir), Path(args.clean_dir)
    if not raw.is_dir():
        print(f"jianggao: raw folder not found: {raw}", file=sys.stderr)
        return 2
    _quiet_prefect(args.verbose)
    from flows.embedded import EmbeddedServer, configured_api_url
    from flows.workers import start_workers, stop_workers

    server = EmbeddedServer() if configured_api_url() is None else None
    if server:
        server.start()
        # atexit runs last-registered first: registered before Prefect is imported, the server
        # stops only after Prefect has flushed its logs and events to it.
        atexit.register(server.stop)
    workers = args.workers or os.cpu_count() or 1
    if args.runner == "thread":  # only thread-run batches reach this process's pool
        start_workers(workers)
    try:
        return _run_flow(args, raw, clean, workers, server)
    finally:
        stop_workers()


def _run_flow(args: argparse.Namespace, raw: Path, clean: Path, workers: int, server) -> int:
    from flows.clean_corpus import clean_corpus
    from flows.embedded import import_engine_modules, without_heartbeats
    from flows.report import render_text
    from flows.runners import make_task_runner
    from flows.state import CleanFolderBusy

    if server:
        import_engine_modules()
        server.wait_ready()
    runner = make_task_runner(args.runner, args.address, workers)
    try:
        with without_heartbeats() if server else contextlib.nullcontext():
            report = clean_corpus.with_options(task_runner=runner)(
                raw_dir=str(raw),
                clean_dir=str(clean),
                force=args.force,
                prune=args.prune,
                batch_size=args.batch_size,
                max_bytes=args.max_bytes,
            )
    except CleanFolderBusy as exc:
        print(f"jianggao: {exc}", file=sys.stderr)
        return 3
    print(render_text(report))
    print(f"records in {clean}/, report in {clean}/_jianggao/report.md")
    return 0


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
    _quiet_prefect(args.verbose)
    from flows.deployments import serve_deployments

    serve_deployments(args.raw_dir, args.clean_dir, args.cron, args.timezone)
    return 0


def cmd_detect(args: argparse.Namespace) -> int:
    from flows.detect import detect_files

    return detect_files(args.files, args.json)


def cmd_schema(args: argparse.Namespace) -> int:
    from cleaners.records import load_schema

    print(json.dumps(load_schema(), ensure_ascii=False, indent=2))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from flows.validate import validate_folder

    return validate_folder(Path(args.clean_dir))


def cmd_export(args: argparse.Namespace) -> int:
    from flows.export import export_folder

    if not Path(args.clean_dir).is_dir():
        print(f"jianggao: clean folder not found: {args.clean_dir}", file=sys.stderr)
        return 2
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            rows = export_folder(Path(args.clean_dir), args.unit, out, args.canonical_only)
        print(f"{rows} {args.unit} rows written to {args.output}", file=sys.stderr)
    else:
        export_folder(Path(args.clean_dir), args.unit, sys.stdout, args.canonical_only)
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from flows.review import write_review

    clean = Path(args.clean_dir)
    if not clean.is_dir():
        print(f"jianggao: clean folder not found: {clean}", file=sys.stderr)
        return 2
    page = write_review(clean, Path(args.output) if args.output else None)
    print(f"review page written to {page}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jianggao", description="Clean scraped Chinese speech documents into YAML records."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="clean every file under RAW_DIR into records under CLEAN_DIR")
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
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
