"""The user's cache folder for derived data (the jieba dictionary's trie, the gazetteer's
indexes): files made once from data the package ships, named after that data's fingerprint
so a changed source makes a new file instead of being served a stale one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    """PLANGRAPH_CACHE_DIR, else the user cache folder (XDG_CACHE_HOME or ~/.cache)/plangraph."""
    explicit = os.environ.get("PLANGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "plangraph"


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that no reader ever sees half a file: several processes may
    make the same file at once (parallel tests); each writes its own temporary file and
    renames it over the name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


if __name__ == "__main__":
    # `python -m schema.cache_files`: make every cache now (an image build, a first install).
    from schema.divisions import load_divisions
    from schema.segmenter import make_cache

    print(f"jieba dictionary cache written to {make_cache()}")
    print(f"gazetteer cache: {len(load_divisions())} divisions indexed in {cache_dir()}")
