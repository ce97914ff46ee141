#!/usr/bin/env bash
# Renders an HTML report (for example the report.html of `gradclip demo`) in headless Chromium
# and saves a full-width PNG screenshot, to look at a report without opening a browser.
#
# Usage: Scripts/screenshot_report.sh REPORT.html [OUT.png] [WIDTH] [HEIGHT]
#   OUT.png defaults to REPORT.png next to the report; WIDTH x HEIGHT defaults to 1400 x 4000.
#   Set CHROMIUM to use another browser binary (chromium, chromium-browser, google-chrome).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 4 || "$1" == "-h" || "$1" == "--help" ]]; then
  echo "usage: $0 REPORT.html [OUT.png] [WIDTH] [HEIGHT]" >&2
  exit 2
fi

report=$1
if [[ ! -f "$report" ]]; then
  echo "error: no such file: $report" >&2
  exit 1
fi
out=${2:-"${report%.*}.png"}
width=${3:-1400}
height=${4:-4000}
if ! [[ "$width" =~ ^[0-9]+$ && "$height" =~ ^[0-9]+$ ]]; then
  echo "error: WIDTH and HEIGHT must be whole numbers of pixels (got '$width' and '$height')" >&2
  exit 2
fi

browser=${CHROMIUM:-}
if [[ -z "$browser" ]]; then
  for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$candidate" >/dev/null 2>&1; then
      browser=$candidate
      break
    fi
  done
fi
if [[ -z "$browser" ]]; then
  echo "error: Chromium not found. Install it (Debian/Ubuntu: sudo apt-get install chromium)" >&2
  echo "       or set CHROMIUM=/path/to/chrome." >&2
  exit 1
fi

report_path=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
out_dir=$(dirname "$out")
mkdir -p "$out_dir"
out_path=$(cd "$out_dir" && pwd)/$(basename "$out")

# A throw-away profile keeps runs independent of (and from writing to) the user's profile.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --no-default-browser-check --disable-extensions --user-data-dir="$profile" \
  --window-size="$width,$height" --screenshot="$out_path" "file://$report_path" \
  >"$profile/chromium.log" 2>&1 || {
  echo "error: $browser failed; its output:" >&2
  cat "$profile/chromium.log" >&2
  exit 1
}

if [[ ! -s "$out_path" ]]; then
  echo "error: no screenshot written; $browser output:" >&2
  cat "$profile/chromium.log" >&2
  exit 1
fi
echo "$out_path"
