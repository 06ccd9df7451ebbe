#!/usr/bin/env bash
# Live ingest benchmark: the real ffmpeg CLI publishes a 720p30 H.264+AAC source in real time
# (-re) over RTMP into `vitrine serve` (release build) with a 720p/480p/360p ladder, and this
# prints, per rendition, the encode speed (media seconds per second the lane was busy), the
# frames dropped (whole GOPs dropped when the job lags, and frames the constant-rate converter
# repeated or skipped), and the latency from a segment's first frame arriving over RTMP to that
# segment being listed in its playlist (mean and max). Also the server's CPU time and peak RSS.
#
# Usage: Benchmarks/live.sh [SOURCE]   (default: a generated 30 s 720p30 clip)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
live_bench_setup /tmp/vitrine-live-bench 30 "${1:-}"
STARTED=$(date +%s.%N)
start_serve --stream-key bench --ladder "$LADDER" --preset "$PRESET" --grace 1 --log-level debug
PORT=$RTMP_PORT

echo "publishing $SOURCE in real time to port $PORT ($LADDER, $PRESET)"
ffmpeg -nostdin -hide_banner -loglevel error -re -i "$SOURCE" -c copy -f flv "rtmp://127.0.0.1:$PORT/live/bench"
sleep 3
# CPU time (utime + stime, clock ticks) and peak RSS, read just before stopping the server.
read -r -a STAT < <(sed 's/.*) //' "/proc/$SERVER/stat")
CPU=$(echo "scale=1; (${STAT[11]} + ${STAT[12]}) / $(getconf CLK_TCK)" | bc)
RSS=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER/status")
WALL=$(echo "scale=1; ($(date +%s.%N) - $STARTED) / 1" | bc)
kill -TERM "$SERVER"
wait "$SERVER" || true

SUMMARY=$(grep 'live job ended' "$LOG" | tail -1)
[ -n "$SUMMARY" ] || { echo "no job summary in $LOG"; tail -20 "$LOG"; exit 1; }
field() { echo "$SUMMARY" | grep -o "$1=[^ ]*" | head -1 | cut -d= -f2-; }
echo
echo "input: $(field videoFrames) video frames decoded; dropped GOPs $(field droppedGOPs), dropped units $(field droppedUnits), decode errors $(field decodeErrors)"
printf "%-8s %8s %10s %14s %14s %9s\n" rendition frames speed latency-mean latency-max segments
for rung in $(echo "$SUMMARY" | grep -o 'rendition\.[^=]*=' | sed 's/rendition\.//; s/=$//'); do
    line=$(echo "$SUMMARY" | sed "s/.*rendition\.$rung=//")
    get() { echo "$line" | grep -o "$1=[^ ]*" | head -1 | cut -d= -f2; }
    printf "%-8s %8s %10s %14s %14s %9s\n" "$rung" "$(get frames)" "$(get speed)" "$(get latency.mean)" "$(get latency.max)" "$(get segments)"
done
echo
echo "server: wall ${WALL}s, cpu ${CPU}s, peak RSS ${RSS} MiB, $(nproc) cores"
echo "log: $LOG"
