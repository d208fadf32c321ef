#!/usr/bin/env bash
# Refresh (or verify) the front-end assets vendored under shian/static/vendor/.
#
# There is no JS build step: the exact versions pinned in the root package.json
# are fetched from the npm registry with `npm pack` (which checks the registry's
# integrity hash), and only the minified runtime files plus licence files are
# copied. `//# sourceMappingURL=` / `/*# sourceMappingURL=... */` lines are
# stripped because the .map files are not vendored (whitenoise's
# CompressedManifestStaticFilesStorage fails collectstatic on a missing map).
#
# Usage:
#   scripts/vendor.sh            # (re)write shian/static/vendor/{tabler,htmx,echarts}/
#   scripts/vendor.sh --check    # rebuild in a temp dir and diff against the tree;
#                                # exits non-zero if anything differs
#
# To upgrade: edit the exact versions in package.json, run this script, review
# the diff, and update the version table in shian/static/vendor/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/shian/static/vendor"

mode="write"
case "${1:-}" in
  "") ;;
  --check) mode="check" ;;
  -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

version_of() {
  python3 -c '
import json, re, sys
deps = json.load(open(sys.argv[1]))["dependencies"]
v = deps[sys.argv[2]]
if not re.fullmatch(r"\d+\.\d+\.\d+", v):
    sys.exit(f"package.json: {sys.argv[2]} must be pinned to an exact version, got {v!r}")
print(v)
' "$ROOT/package.json" "$1"
}

TABLER_VERSION="$(version_of @tabler/core)"
HTMX_VERSION="$(version_of htmx.org)"
ECHARTS_VERSION="$(version_of echarts)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# npm pack <name> <version> -> prints the directory holding the unpacked package
fetch() {
  local name="$1" version="$2" dest tarball
  dest="$WORK/src/${name//\//_}"
  mkdir -p "$dest"
  tarball="$(cd "$WORK" && npm pack --loglevel=error "$name@$version" | tail -n 1)"
  tar -xzf "$WORK/$tarball" -C "$dest"
  python3 -c '
import json, sys
got = json.load(open(sys.argv[1]))["version"]
if got != sys.argv[2]:
    sys.exit(f"{sys.argv[3]}: packed version {got} != pinned {sys.argv[2]}")
' "$dest/package/package.json" "$version" "$name"
  echo "$dest/package"
}

# Copy a minified file and drop source-map reference lines (maps are not vendored).
copy_min() {
  local src="$1" dest="$2"
  [[ -f "$src" ]] || { echo "missing in package: $src" >&2; exit 1; }
  sed -E '/^\/\/# sourceMappingURL=/d; /^\/\*# sourceMappingURL=.*\*\/[[:space:]]*$/d' "$src" > "$dest"
  if grep -q 'sourceMappingURL=' "$dest"; then
    echo "unexpected sourceMappingURL reference left in $dest" >&2
    exit 1
  fi
}

copy_file() {
  [[ -f "$1" ]] || { echo "missing in package: $1" >&2; exit 1; }
  cp "$1" "$2"
}

OUT="$WORK/out"
mkdir -p "$OUT/tabler" "$OUT/htmx" "$OUT/echarts/licenses"

# --- Tabler (CSS + JS; tabler.min.js is a UMD bundle that already contains
#     Bootstrap 5's JS and Popper, so no separate bootstrap.bundle is needed) ---
T="$(fetch @tabler/core "$TABLER_VERSION")"
copy_min "$T/dist/css/tabler.min.css" "$OUT/tabler/tabler.min.css"
copy_min "$T/dist/js/tabler.min.js" "$OUT/tabler/tabler.min.js"
# The stylesheet must not reference external files (fonts/images) we don't vendor.
python3 -c '
import re, sys
css = open(sys.argv[1], encoding="utf-8").read()
bad = [u for u in re.findall(r"url\(\s*([^)]*?)\s*\)", css) if not u.strip("\"'"'"'").startswith("data:")]
bad += re.findall(r"@import[^;]*", css)
if bad:
    sys.exit("tabler.min.css references files that are not vendored: %r" % bad[:10])
' "$OUT/tabler/tabler.min.css"
tabler_license="$(find "$T" -maxdepth 1 -type f \( -iname 'LICEN[CS]E*' \) | head -n 1)"
if [[ -n "$tabler_license" ]]; then
  cp "$tabler_license" "$OUT/tabler/LICENSE"
else
  # The @tabler/core npm tarball ships no LICENSE file (package.json says "MIT"
  # and the file banners point to github.com/tabler/tabler/blob/master/LICENSE).
  # Reproduce upstream's MIT text with the copyright lines from the CSS banner.
  python3 - "$T/dist/css/tabler.min.css" "$OUT/tabler/LICENSE" <<'PY'
import json, re, sys, pathlib
css_path, out_path = sys.argv[1], sys.argv[2]
pkg = json.load(open(pathlib.Path(css_path).parents[2] / "package.json"))
if pkg.get("license") != "MIT":
    sys.exit(f"@tabler/core licence is {pkg.get('license')!r}, not MIT: review by hand")
banner = open(css_path, encoding="utf-8").read(2000)
holders = re.findall(r"^\s*\*\s*(Copyright .+?)\s*$", banner, re.M)
if not holders:
    sys.exit("no Copyright line found in the tabler.min.css banner")
text = "The MIT License (MIT)\n\n" + "\n".join(holders) + """

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
"""
open(out_path, "w", encoding="utf-8").write(text)
PY
fi

# --- htmx ---
X="$(fetch htmx.org "$HTMX_VERSION")"
copy_min "$X/dist/htmx.min.js" "$OUT/htmx/htmx.min.js"
copy_file "$X/LICENSE" "$OUT/htmx/LICENSE"

# --- Apache ECharts (Apache-2.0: ship LICENSE and NOTICE; LICENSE points to
#     licenses/LICENSE-d3 for the d3 code embedded in the bundle) ---
E="$(fetch echarts "$ECHARTS_VERSION")"
copy_min "$E/dist/echarts.min.js" "$OUT/echarts/echarts.min.js"
copy_file "$E/LICENSE" "$OUT/echarts/LICENSE"
copy_file "$E/NOTICE" "$OUT/echarts/NOTICE"
copy_file "$E/licenses/LICENSE-d3" "$OUT/echarts/licenses/LICENSE-d3"

if [[ "$mode" == "check" ]]; then
  status=0
  for lib in tabler htmx echarts; do
    diff -r "$OUT/$lib" "$VENDOR/$lib" >/dev/null 2>&1 || {
      echo "DIFFERS: shian/static/vendor/$lib" >&2
      diff -rq "$OUT/$lib" "$VENDOR/$lib" >&2 || true
      status=1
    }
  done
  if [[ $status -eq 0 ]]; then
    echo "OK: shian/static/vendor matches @tabler/core@$TABLER_VERSION, htmx.org@$HTMX_VERSION, echarts@$ECHARTS_VERSION"
  fi
  exit $status
fi

mkdir -p "$VENDOR"
for lib in tabler htmx echarts; do
  rm -rf "${VENDOR:?}/$lib"
  cp -R "$OUT/$lib" "$VENDOR/$lib"
done
echo "Vendored @tabler/core@$TABLER_VERSION, htmx.org@$HTMX_VERSION, echarts@$ECHARTS_VERSION into shian/static/vendor/"
