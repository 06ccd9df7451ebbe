#!/usr/bin/env bash
# Chromium's delay behind the presenter: a 720p30 publish in real time into `vitrine serve`
# (release build, 720p/480p/360p), and headless Chromium's native HLS player joining the show 20 s
# after it started (Benchmarks/chromium_delay.py), once with TS and 2 s segments and once with
# LL-HLS (fMP4, 0.333 s parts, --latency low); then the LL-HLS stream once more in hls.js, a
# player that uses parts and blocking reloads (its ES module is taken from gradio's wheel on PyPI
# and cached in .build-tools/; set HLSJS=FILE to use another copy). Prints, for each, the delay
# (median of samples twice a second over 30 s), the media file it started on and whether it used
# parts.
#
# Usage: [LIST_SIZE=10] [SEGMENT_DURATION=2] Benchmarks/chromium-delay.sh [SOURCE]
#        (default source: a generated 60 s 720p30 clip)
set -euo pipefail
cd "$(dirname "$0")/.."
LIST_SIZE=${LIST_SIZE:-10}
SEGMENT_DURATION=${SEGMENT_DURATION:-2}

source Benchmarks/lib.sh
live_bench_setup /tmp/vitrine-chromium-bench 60 "${1:-}"

# An hls.js ES module whose export `t` attaches a player (gradio 6.31.0 bundles hls.js 1.6.15).
hlsjs_module() {
    local dir=.build-tools/hlsjs
    if ! ls "$dir"/gradio/templates/frontend/assets/hls-*.js >/dev/null 2>&1; then
        mkdir -p "$dir"
        pip download --no-deps -q -d "$dir" gradio==6.31.0 >&2
        unzip -q -o "$dir"/gradio-6.31.0-*.whl 'gradio/templates/frontend/assets/hls-*.js' -d "$dir"
    fi
    ls "$dir"/gradio/templates/frontend/assets/hls-*.js | head -1
}

run_case() { # name player-args serve-args...
    local name=$1 player=$2; shift 2
    start_serve --stream-key bench --ladder "$LADDER" --preset "$PRESET" --grace 1 --list-size "$LIST_SIZE" --segment-duration "$SEGMENT_DURATION" "$@"
    start_publish bench
    # The viewer joins a show already running.
    sleep 18
    echo "$name: $(python3 Benchmarks/chromium_delay.py --origin "http://127.0.0.1:$HTTP_PORT" --playback="$PLAYBACK" --seconds 30 $player)"
    kill "$PUBLISHER" 2>/dev/null || true
    kill -TERM "$SERVER"; wait "$SERVER" || true
}

echo "source: $SOURCE  ladder: $LADDER  preset: $PRESET  cores: $(nproc)  $(chromium --version 2>/dev/null)"
HLSJS=${HLSJS:-$(hlsjs_module)}
run_case ts "" --latency low
run_case ll "" --live-format fmp4 --part-target 0.333 --latency low
run_case ll-hlsjs "--hlsjs $HLSJS" --live-format fmp4 --part-target 0.333 --latency low
