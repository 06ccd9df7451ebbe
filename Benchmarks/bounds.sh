#!/usr/bin/env bash
# Bounds benchmark (issue 11): what bounding every input costs on the normal path. The same work
# through two release builds in the same run: this checkout, and REF (default cd79b7a, the last
# commit before inputs were bounded: no protocol or demuxer whitelist, no max_pixels, no quiet-
# track pass-over, no RTMP backpressure, AMF0 budget, inbox byte bounds or HTTP limits).
#   ladder: a 20 s 1080p30 source to 720p/480p/360p (veryfast), 3 runs each, alternating;
#   live:   ffmpeg publishes a 20 s 720p30 source in real time over RTMP into `serve` with the
#           same ladder; the CPU the server and its job process spent, and the segment listing
#           latency from the job's summary.
# Prints medians and the ratios (reference / this); 1.00 means the bounds cost nothing.
#
# Usage: Benchmarks/bounds.sh   (REF=commit RUNS=3 to change; SKIP_LADDER=1: live part only)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
REF=${REF:-cd79b7a}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/vitrine-bounds}
ladder_bench_setup ""
CURRENT=$BIN
LADDER=720p:3000k,480p:1400k,360p:800k

# The reference, from a worktree of REF with its own scratch folder.
REF_SRC="$WORK/ref-src"
[ -d "$REF_SRC" ] || git worktree add --detach "$REF_SRC" "$REF" >/dev/null
echo "building the reference ($REF) in release"
(cd "$REF_SRC" && swift build -c release --product vitrine --scratch-path "$WORK/ref-build" >/dev/null)
REFERENCE="$WORK/ref-build/release/vitrine"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

ladder_run() { # label binary
    local out="$WORK/ladder-$1"
    rm -rf "$out"
    /usr/bin/time -f "%e %U %S" -o "$WORK/$1.time" "$2" transcode "$SOURCE" -o "$out" --ladder "$LADDER" \
        --segment-duration 2 --preset "$PRESET" --segment-format ts >"$WORK/$1.log" 2>&1 || { cat "$WORK/$1.log"; exit 1; }
    read -r wall user sys < "$WORK/$1.time"
    echo "$wall $(echo "$user + $sys" | bc)" >> "$WORK/ladder-$1.results"
}

# SKIP_LADDER=1 keeps the last run's ladder figures (to redo only the live part).
[ "${SKIP_LADDER:-0}" = 1 ] || rm -f "$WORK"/ladder-*.results
for i in $( [ "${SKIP_LADDER:-0}" = 1 ] || seq "$RUNS"); do
    # Alternate which goes first, so neither always runs on a warmer machine.
    if [ $((i % 2)) -eq 1 ]; then ladder_run current "$CURRENT"; ladder_run reference "$REFERENCE"
    else ladder_run reference "$REFERENCE"; ladder_run current "$CURRENT"; fi
    echo "ladder run $i: this $(tail -1 "$WORK/ladder-current.results"), reference $(tail -1 "$WORK/ladder-reference.results") (wall s, cpu s)"
done

# Live: one publish per build.
LIVE_SOURCE="$WORK/source-720p30-20s.mp4"
make_source "$LIVE_SOURCE" 1280 720 20 4
live_run() { # label binary [serve args...]
    local label=$1
    BIN=$2
    shift 2
    start_serve --stream-key bench --ladder "$LADDER" --preset "$PRESET" --grace 1 "$@"
    ffmpeg -nostdin -hide_banner -loglevel error -re -i "$LIVE_SOURCE" -c copy -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/bench"
    sleep 3
    # The server, the job processes it already reaped (cutime, cstime) and those still running.
    local ticks=0
    read -r -a STAT < <(sed 's/.*) //' "/proc/$SERVER/stat")
    ticks=$((STAT[11] + STAT[12] + STAT[13] + STAT[14]))
    for pid in $(pgrep -P "$SERVER" || true); do
        read -r -a STAT < <(sed 's/.*) //' "/proc/$pid/stat")
        ticks=$((ticks + STAT[11] + STAT[12]))
    done
    kill -TERM "$SERVER"; wait "$SERVER" || true
    local summary latency
    summary=$(grep 'live job ended' "$LOG" | tail -1)
    latency=$(echo "$summary" | grep -o 'rendition\.360p=.*' | grep -o 'latency.mean=[^ ]*' | head -1 | cut -d= -f2 | tr -d ',s')
    echo "$(echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc) ${latency:-nan}" > "$WORK/live-$label.result"
    cp "$LOG" "$WORK/live-$label.log"
}
# The reference predates LL-HLS: this build is asked for the TS segments it wrote, the same work.
live_run current "$CURRENT" --live-format ts --part-target 0
live_run reference "$REFERENCE"

ratio() { echo "scale=3; $1 / $2" | bc; }
LC_WALL=$(cut -d' ' -f1 "$WORK/ladder-current.results" | median)
LC_CPU=$(cut -d' ' -f2 "$WORK/ladder-current.results" | median)
LR_WALL=$(cut -d' ' -f1 "$WORK/ladder-reference.results" | median)
LR_CPU=$(cut -d' ' -f2 "$WORK/ladder-reference.results" | median)
read -r VC_CPU VC_LAT < "$WORK/live-current.result"
read -r VR_CPU VR_LAT < "$WORK/live-reference.result"
echo
printf "%-34s %12s %12s %10s\n" "" "this" "reference" "ref/this"
printf "%-34s %12s %12s %10s\n" "ladder wall, median of $RUNS (s)" "$LC_WALL" "$LR_WALL" "$(ratio "$LR_WALL" "$LC_WALL")"
printf "%-34s %12s %12s %10s\n" "ladder cpu, median of $RUNS (s)" "$LC_CPU" "$LR_CPU" "$(ratio "$LR_CPU" "$LC_CPU")"
printf "%-34s %12s %12s %10s\n" "live cpu, 20 s publish (s)" "$VC_CPU" "$VR_CPU" "$(ratio "$VR_CPU" "$VC_CPU")"
printf "%-34s %12s %12s\n" "live 360p listing latency, mean" "$VC_LAT" "$VR_LAT"
echo "reference: $REF; $(nproc) cores; logs in $WORK"
