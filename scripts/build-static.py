#!/usr/bin/env python3
"""Copy the dashboard's pinned front-end files from node_modules into the package.

Run ``npm ci`` first (package.json + package-lock.json pin htmx and its ws/sse extensions),
then ``python scripts/build-static.py``. The copies are committed, so ``pip install`` works
without npm; ``src/atp_web/static/vendor/VERSIONS.json`` records where each file came from
and a test checks it against package-lock.json.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "src" / "atp_web" / "static" / "vendor"
# (npm package, file inside the package, name in static/vendor)
FILES = (
    ("htmx.org", "dist/htmx.min.js", "htmx.min.js"),
    ("htmx-ext-ws", "dist/ws.min.js", "htmx-ext-ws.min.js"),
    ("htmx-ext-sse", "dist/sse.min.js", "htmx-ext-sse.min.js"),
)


def locked_versions() -> dict[str, str]:
    """Package name → version, from package-lock.json."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return {
        key.removeprefix("node_modules/"): value["version"]
        for key, value in lock["packages"].items()
        if key.startswith("node_modules/")
    }


def main() -> int:
    """Copy every file and write VERSIONS.json; fail when node_modules disagrees with the lock."""
    locked = locked_versions()
    VENDOR.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, str]] = {}
    for package, source, target in FILES:
        package_dir = ROOT / "node_modules" / package
        installed = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
        if installed["version"] != locked[package]:
            print(
                f"build-static: node_modules has {package} {installed['version']}, the lock "
                f"says {locked[package]}; run 'npm ci'", file=sys.stderr,
            )
            return 1
        shutil.copyfile(package_dir / source, VENDOR / target)
        digest = hashlib.sha256((VENDOR / target).read_bytes()).hexdigest()
        manifest[target] = {
            "package": package, "version": locked[package], "source": source, "sha256": digest,
        }
    (VENDOR / "VERSIONS.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"build-static: copied {len(FILES)} files into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
