#!/usr/bin/env bash
# One command for a newcomer: install what is missing, build, and transcode the bundled show.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-deps.sh
swift build -c release --product vitrine
rm -rf out/show
.build/release/vitrine transcode Fixtures/media/show-720p.mp4 -o out/show --ladder 720p:3000k,480p:1400k,360p:800k
echo
echo "Done: play out/show/master.m3u8 (e.g. ffplay out/show/master.m3u8)."
