#!/usr/bin/env bash
# Live latency benchmark: the ffmpeg CLI publishes a 720p30 source in real time over RTMP into
# `vitrine serve` (release build), ladder 720p/480p/360p, and LL-HLS clients (Benchmarks/
# llhls_client.py) measure, per rendition, the lag from a part's last frame reaching the server to
# the part being answered to a waiting blocking reload (median and p95), and serve's CPU and peak
# RSS, in four runs:
#   ll-low     fMP4, 0.333 s parts, --latency low;
#   ll-normal  the same with --latency normal: the difference is the encoder's share;
#   ll-crowd   ll-low while WAITERS (1000) more clients hold blocking reloads on the 360p playlist
#              (the clients run on the same 2 cores);
#   ts         TS and 2 s segments (--latency low), a segment's lag to being listed, polled every 50 ms.
# A part's last frame reached the server at its segment's PROGRAM-DATE-TIME (the arrival of the
# publish's first picture plus media time) plus its end in the segment; the publisher sends in
# real time (-re), so media time tracks arrival.
#
# Usage: Benchmarks/latency.sh [SOURCE]   (default: a generated 60 s 720p30 clip)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_MEASURED=${SECONDS_MEASURED:-20}
WAITERS=${WAITERS:-1000}
ulimit -n 8192 2>/dev/null || true

source Benchmarks/lib.sh
live_bench_setup /tmp/vitrine-latency-bench 60 "${1:-}"

run_case() { # name waiters client-args -- serve-args...
    local name=$1 waiters=$2 client=$3; shift 4
    start_serve --stream-key bench --ladder "$LADDER" --preset "$PRESET" --grace 1 "$@"
    start_publish bench
    sleep 2
    read -r -a before < <(sed 's/.*) //' "/proc/$SERVER/stat")
    local started=$(date +%s.%N)
    python3 Benchmarks/llhls_client.py --port "$HTTP_PORT" --playback="$PLAYBACK" --renditions 720p,480p,360p \
        --seconds "$SECONDS_MEASURED" --waiters "$waiters" $client > "$WORK/$name.json"
    read -r -a after < <(sed 's/.*) //' "/proc/$SERVER/stat")
    local wall=$(echo "$(date +%s.%N) - $started" | bc)
    local cpu=$(echo "scale=2; (${after[11]} + ${after[12]} - ${before[11]} - ${before[12]}) / $(getconf CLK_TCK)" | bc)
    local rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER/status")
    kill "$PUBLISHER" 2>/dev/null || true
    kill -TERM "$SERVER"; wait "$SERVER" || true
    python3 - "$WORK/$name.json" "$name" "$cpu" "$wall" "$rss" "$waiters" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); name, cpu, wall, rss, waiters = sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
for rendition, s in r["lag"].items():
    print(f"{name:10} {rendition:6} " + (f"median {s['median']:.3f} s  p95 {s['p95']:.3f} s  ({s['count']} measured)" if s else "no measurement"))
answers = r["waiterAnswers"]
print(f"{name:10} serve process: {cpu / wall * 100:.0f}% of a core over {wall:.0f} s, peak RSS {rss} MiB"
      + (f"; {waiters} waiting clients got {sum(answers.values())} answers {answers}" if int(waiters) else ""))
PY
}

echo "source: $SOURCE  ladder: $LADDER  preset: $PRESET  cores: $(nproc)"
run_case ll-low 0 "" -- --live-format fmp4 --part-target 0.333 --latency low
run_case ll-normal 0 "" -- --live-format fmp4 --part-target 0.333 --latency normal
run_case ll-crowd "$WAITERS" "" -- --live-format fmp4 --part-target 0.333 --latency low
run_case ts 0 "--segments" -- --latency low
