"""The ``convnp`` command line. One module per subcommand; ``main`` dispatches.

Usage errors exit 2 with one line naming the flag; a failed check exits 1.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from . import gradcheck

COMMANDS = {"gradcheck": gradcheck}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="convnp", description="Convolutional networks in NumPy (CS231n assignment 2).")
    parser.add_argument("--version", action="version", version=f"convnp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return COMMANDS[args.command].run(args, parser)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
