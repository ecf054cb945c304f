"""Files written whole or not at all: each first to a hidden temporary file
beside it, then renamed into place, so that a reader (a browser, a later build)
never sees half a file. The write stage stages a whole site this way
(write.py), the extraction cache its entries (extract.py).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _file_mode() -> int:
    """The mode a plain new file gets under this process's umask (0644 under the usual 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


FILE_MODE = _file_mode()  # read once, at import: os.umask is process-wide and not thread-safe


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    os.replace(write_beside(path, data), path)


def write_beside(path: Path, data: bytes) -> Path:
    """`data` in a new hidden temporary file in `path`'s folder, to be renamed to
    `path`. It gets the mode any new file would (mkstemp's own is private, 0600:
    a web server serving the folder as another user could not read the pages)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)
