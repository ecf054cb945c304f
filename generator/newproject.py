"""`briefing init [DIR]`: a new project that builds at once.

It gets an example article in seeds/, content/ with a commented example of every
file, a .gitignore and the GitHub Pages workflow, copied from `starter/` in the
package. No templates: the default theme ships inside the package (see
theme.py), and a project's own templates/ overrides it file by file. A file
that is there already is kept as it is, never overwritten.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

STARTER = Path(__file__).parent / "starter"
RENAMED = {"gitignore": ".gitignore", "github": ".github"}
"""Files kept in the package under a name that packaging does not leave out, and their names in a project."""


def register(commands) -> None:
    p = commands.add_parser(
        "init",
        help="create a new project: seeds/ with an example article, content/, .gitignore, a GitHub Pages workflow",
        description="Create a new Briefing project in DIR (default: the current folder) that builds at once: "
        "seeds/ with an example article, content/ with a commented example of every file, a .gitignore and "
        "the GitHub Pages workflow. The default theme comes with Briefing; a templates/ folder in the project "
        "overrides it file by file. Files that are there already are kept, never overwritten.",
    )
    p.add_argument("dir", nargs="?", type=Path, default=Path("."), metavar="DIR", help="the folder of the new project, made if missing (default: the current folder)")
    p.set_defaults(run=run_init)


def run_init(args: argparse.Namespace) -> int:
    from .cli import EXIT_OK
    from .errors import BriefingError

    made, kept = [], []
    for source in sorted(p for p in STARTER.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        rel = Path(*(RENAMED.get(part, part) for part in source.relative_to(STARTER).parts))
        target = args.dir / rel
        if target.exists() or target.is_symlink():
            kept.append(rel.as_posix())
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as f:  # never over a file that appeared meanwhile
                f.write(source.read_bytes())
        except OSError as exc:
            raise BriefingError(f"{target}: cannot create it ({exc.strerror})") from None
        made.append(rel.as_posix())
    for created in made:
        print(f"created {args.dir / created}")
    for existing in kept:
        print(f"kept {args.dir / existing} (it was there already)", file=sys.stderr)
    where = "" if args.dir == Path(".") else f"cd {args.dir} && "
    print(f"next: {where}briefing build, then open site/index.html")
    return EXIT_OK
