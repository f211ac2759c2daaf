"""``python -m tools COMMAND [ARGS]``: see the package docstring (``python -m tools -h``)."""
from __future__ import annotations

import importlib
import sys

import tools

COMMANDS = {"refresh": "tools.refresh", "sweep": "tools.sweep", "benchmark": "tools.benchmark",
            "page-weight": "tools.page_weight", "normalize": "tools.nbtools",
            "build": "tools.build"}


def main(argv: list[str]) -> None:
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        print(tools.__doc__)
        if argv and argv[0] not in ("-h", "--help"):
            sys.exit(f"unknown command {argv[0]!r}; one of: {', '.join(COMMANDS)}")
        return
    importlib.import_module(COMMANDS[argv[0]]).main(argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
