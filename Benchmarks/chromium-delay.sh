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
LIST_SIZE=${LIST_SIZE:-10}
SEGMENT_DURATION=${SEGMENT_DURATION:-2}

source Benchmarks/lib.sh
live_bench_setup /tmp/vitrine-chromium-bench 60 "${1:-}"

run_case() { # name serve-args...
    local name=$1; shift
    start_serve --stream-key bench --ladder "$LADDER" --preset "$PRESET" --grace 1 --list-size "$LIST_SIZE" --segment-duration "$SEGMENT_DURATION" "$@"
    start_publish bench
    # The viewer joins a show already running.
    sleep 18
    echo "$name: $(python3 Benchmarks/chromium_delay.py --origin "http://127.0.0.1:$HTTP_PORT" --playback="$PLAYBACK" --seconds 30)"
    kill "$PUBLISHER" 2>/dev/null || true
    kill -TERM "$SERVER"; wait "$SERVER" || true
}

echo "source: $SOURCE  ladder: $LADDER  preset: $PRESET  cores: $(nproc)  $(chromium --version 2>/dev/null)"
run_case ts --latency low
run_case ll --live-format fmp4 --part-target 0.333 --latency low
