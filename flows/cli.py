"""The `jianggao` command: run the flow, detect encodings.

Prefect is imported only by the commands that need it, after quiet, offline-friendly defaults
are set (no per-task chatter, no telemetry), so `jianggao detect` starts in a blink.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cleaners.settings import Settings


def _quiet_prefect(verbose: bool) -> None:
    """Defaults for an embedded, offline Prefect; a user's own environment still wins."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "INFO" if verbose else "CRITICAL")


def cmd_run(args: argparse.Namespace) -> int:
    raw, clean = Path(args.raw_dir), Path(args.clean_dir)
    if not raw.is_dir():
        print(f"jianggao: raw folder not found: {raw}", file=sys.stderr)
        return 2
    _quiet_prefect(args.verbose)
    from flows.clean_corpus import clean_corpus
    from flows.report import render_text
    from flows.state import CleanFolderBusy

    try:
        report = clean_corpus(
            raw_dir=str(raw),
            clean_dir=str(clean),
            batch_size=args.batch_size,
            max_bytes=args.max_bytes,
        )
    except CleanFolderBusy as exc:
        print(f"jianggao: {exc}", file=sys.stderr)
        return 3
    print(render_text(report))
    print(f"records in {clean}/, report in {clean}/_jianggao/report.md")
    return 0


def cmd_detect(args: argparse.Namespace) -> int:
    from flows.detect import detect_files

    return detect_files(args.files, args.json)


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
    run.add_argument("-v", "--verbose", action="store_true", help="show Prefect's logs")
    run.set_defaults(func=cmd_run)

    detect = sub.add_parser("detect", help="print the encoding each file would be decoded with")
    detect.add_argument("files", nargs="+")
    detect.add_argument("--json", action="store_true", help="one JSON object per line")
    detect.set_defaults(func=cmd_detect)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
