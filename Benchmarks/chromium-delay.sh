#!/usr/bin/env bash
# Chromium's delay behind the presenter: a 720p30 publish in real time into `vitrine serve`
# (release build, 720p/480p/360p), and headless Chromium's native HLS player joining the show 20 s
# after it started (Benchmarks/chromium_delay.py), once with TS and 2 s segments and once with
# LL-HLS (fMP4, 0.333 s parts, --latency low). Prints, for each, the delay (median of samples
# twice a second over 30 s), the media file it started on and whether it used parts.
#
# Usage: [LIST_SIZE=10] [SEGMENT_DURATION=2] Benchmarks/chromium-delay.sh [SOURCE]
#        (default source: a generated 60 s 720p30 clip)
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${PRESET:-veryfast}
LADDER=${LADDER:-720p:3000k,480p:1400k,360p:800k}
LIST_SIZE=${LIST_SIZE:-10}
SEGMENT_DURATION=${SEGMENT_DURATION:-2}
WORK=${WORK:-/tmp/vitrine-chromium-bench}
mkdir -p "$WORK"

source Benchmarks/lib.sh
SOURCE=${1:-$WORK/source-720p30.mp4}
make_source "$SOURCE" 1280 720 60 4
build_release

run_case() { # name serve-args...
    local name=$1; shift
    start_serve --stream-key bench --ladder "$LADDER" --preset "$PRESET" --grace 1 --list-size "$LIST_SIZE" --segment-duration "$SEGMENT_DURATION" "$@"
    ffmpeg -nostdin -hide_banner -loglevel error -re -i "$SOURCE" -c copy -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/bench" &
    local publisher=$!
    sleep 20
    local id=$(ls "$DATA/hls" | head -1)
    echo "$name: $(python3 Benchmarks/chromium_delay.py --origin "http://127.0.0.1:$HTTP_PORT" --playback="$id" --seconds 30)"
    kill "$publisher" 2>/dev/null || true
    kill -TERM "$SERVER"; wait "$SERVER" || true
}

echo "source: $SOURCE  ladder: $LADDER  preset: $PRESET  cores: $(nproc)  $(chromium --version 2>/dev/null)"
run_case ts --latency low
run_case ll --live-format fmp4 --part-target 0.333 --latency low
