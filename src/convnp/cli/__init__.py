"""The ``convnp`` command line. One module per subcommand; ``main`` dispatches.

Each subcommand module has ``add_parser(sub)`` and ``run(args, parser) -> int``. Usage errors
(a bad flag, a missing file, an unknown name) exit 2 with one line on stderr naming the flag;
failures while running exit 1 with one line; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__
from ._common import UsageError

# name -> module; imported when the command runs, so `convnp --help` stays fast.
COMMANDS = {name: f"convnp.cli.{name}" for name in
            ("train", "evaluate", "predict", "gradcheck", "filters", "report", "experiments",
             "export", "sweep")}


def _module(name: str):
    target = COMMANDS[name]
    return importlib.import_module(target) if isinstance(target, str) else target


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convnp", description="Convolutional networks in NumPy (CS231n assignment 2).")
    parser.add_argument("--version", action="version", version=f"convnp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        _module(name).add_parser(sub)
        sub.choices[name].add_argument("--debug", action="store_true",
                                       help="show the full traceback of an error")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    sub = parser._subparsers._group_actions[0].choices[args.command]
    from ..kernels import hold_freed_memory
    hold_freed_memory()  # each training step reuses the last one's memory (glibc)
    try:
        return _module(args.command).run(args, sub)
    except UsageError as exc:
        if args.debug:
            raise
        sub.exit(2, f"{sub.prog}: error: {exc}\n")
    except (ValueError, TypeError, OSError, FloatingPointError, RuntimeError) as exc:
        if args.debug:
            raise
        print(f"{sub.prog}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
