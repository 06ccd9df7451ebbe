#!/usr/bin/env bash
# Fault-isolation benchmark. N publishes run in real time for M minutes into `vitrine serve`
# (release build) while a random live job process is killed (SIGKILL) every K seconds. It prints
# the frames lost on the shows that were not killed (must be 0), the recovery time of each kill
# (crash to new process ready, and to its first decoded picture: the next keyframe), and serve's
# RSS at start and end. Then what the process split costs: the same publishes without kills, once
# with job processes and once in-process (VITRINE_IN_PROCESS_JOBS=1, the previous path), giving CPU
# per live stream and arrival-to-listed segment latency side by side; and a batch of files both
# ways (wall time).
#
# Usage: Benchmarks/chaos.sh   (N=4 M=2 K=15 by default; set them in the environment)
#        MODE=hostile Benchmarks/chaos.sh   (Benchmarks/chaos-hostile.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
# MODE=hostile: a hostile job process and an origin flood instead of kills (Benchmarks/chaos-hostile.sh).
[ "${MODE:-}" = hostile ] && exec bash Benchmarks/chaos-hostile.sh
N=${N:-4}
M=${M:-2}
K=${K:-15}
WORK=${WORK:-/tmp/vitrine-chaos-bench}
source Benchmarks/lib.sh
chaos_setup

# CPU seconds of serve and of its job processes that have exited (utime+stime+cutime+cstime).
cpu_of() { read -r -a S < <(sed 's/.*) //' "/proc/$1/stat"); echo "scale=2; (${S[11]} + ${S[12]} + ${S[13]} + ${S[14]}) / $(getconf CLK_TCK)" | bc; }

# publish_all SECONDS: N ffmpeg publishers looping their source in real time; sets PUBLISHERS.
publish_all() {
    PUBLISHERS=()
    for i in $(seq "$N"); do
        ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -t "$1" -i "$WORK/source-$i.mp4" \
            -c copy -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/chaos-$i" &
        PUBLISHERS+=($!)
    done
}

keys=(); for i in $(seq "$N"); do keys+=(--stream-key "chaos-$i"); done

# --- 1. Kills ---------------------------------------------------------------------------------
start_serve "${keys[@]}" --ladder "$LADDER" --preset "$PRESET" --grace 2 --list-size 10
publish_all "$SECONDS_LONG"
sleep 5
RSS_START=$(rss_of "$SERVER")
echo "chaos: $N publishes for $M min, a random job process killed every $K s"
END=$(( $(date +%s) + SECONDS_LONG - 10 ))
KILLS=0
while [ "$(date +%s)" -lt "$END" ]; do
    sleep "$K"
    mapfile -t PIDS < <(pgrep -P "$SERVER" -f "job-process --label live:" || true)
    [ "${#PIDS[@]}" -gt 0 ] || continue
    VICTIM=${PIDS[$((RANDOM % ${#PIDS[@]}))]}
    kill -KILL "$VICTIM" 2>/dev/null && KILLS=$((KILLS + 1))
done
RSS_END=$(rss_of "$SERVER")
for p in "${PUBLISHERS[@]}"; do wait "$p" || true; done
sleep 4
api "/v1/jobs?limit=100" >"$WORK/jobs.json"
kill -TERM "$SERVER"; wait "$SERVER" || true
python3 - "$WORK/jobs.json" "$SECONDS_LONG" "$KILLS" <<'EOF'
import json, statistics, sys
jobs = [j for j in json.load(open(sys.argv[1]))["jobs"] if j["kind"] == "live"]
seconds, kills = float(sys.argv[2]), int(sys.argv[3])
restarts, lost, untouched = [], [], 0
for job in jobs:
    report = job.get("report") or {}
    r = report.get("restarts") or []
    restarts += r
    if not r:
        untouched += 1
        frames = min((x["framesEncoded"] for x in report.get("renditions", [])), default=0)
        lost.append(max(0, int(seconds * 30) - frames) if report.get("droppedUnits", 0) == 0 else report.get("droppedUnits"))
ready = [x["restartSeconds"] for x in restarts if x.get("restartSeconds") is not None]
picture = [x["recoverySeconds"] for x in restarts if x.get("recoverySeconds") is not None]
print(f"kills: {kills}; restarts recorded: {len(restarts)}; shows never killed: {untouched}")
print(f"frames lost on the shows never killed: {sum(lost)} (per show: {lost})")
if ready:
    print(f"recovery, crash to new process ready: median {statistics.median(ready)*1000:.0f} ms, max {max(ready)*1000:.0f} ms")
if picture:
    print(f"recovery, crash to first decoded picture (next keyframe, 2 s GOP): median {statistics.median(picture):.2f} s, max {max(picture):.2f} s")
EOF
echo "serve RSS: ${RSS_START} MiB at start, ${RSS_END} MiB at end"

# --- 2. What the split costs: the same publishes, no kills, both ways ---------------------------
SHORT=${SHORT:-40}
measure() {
    start_serve "${keys[@]}" --ladder "$LADDER" --preset "$PRESET" --grace 1 --list-size 10 --log-level debug
    local t0; t0=$(date +%s.%N)
    publish_all "$SHORT"
    for p in "${PUBLISHERS[@]}"; do wait "$p" || true; done
    sleep 3
    local cpu; cpu=$(cpu_of "$SERVER")
    local wall; wall=$(echo "$(date +%s.%N) - $t0" | bc)
    kill -TERM "$SERVER"; wait "$SERVER" || true
    local latency; latency=$(grep -o 'latency.mean=[0-9.]*' "$LOG" | cut -d= -f2 | awk '{s += $1; n++} END {if (n) printf "%.3f", s / n}')
    echo "$cpu $wall $latency"
}
read -r CPU_P WALL_P LAT_P < <(measure)
read -r CPU_I WALL_I LAT_I < <(VITRINE_IN_PROCESS_JOBS=1 measure)
echo
echo "the split's cost, $N publishes x ${SHORT} s, no kills:"
printf "  %-14s %12s %20s %22s\n" path "CPU s" "CPU per stream (%)" "segment latency (s)"
printf "  %-14s %12s %20s %22s\n" "job processes" "$CPU_P" "$(echo "scale=1; 100 * $CPU_P / $N / $WALL_P" | bc)" "$LAT_P"
printf "  %-14s %12s %20s %22s\n" "in-process" "$CPU_I" "$(echo "scale=1; 100 * $CPU_I / $N / $WALL_I" | bc)" "$LAT_I"
echo "  CPU ratio (processes / in-process): $(echo "scale=3; $CPU_P / $CPU_I" | bc); latency added: $(echo "scale=0; ($LAT_P - $LAT_I) * 1000 / 1" | bc) ms"

# --- 3. Batch both ways ----------------------------------------------------------------------
for i in $(seq 4); do make_source "$WORK/batch-$i.mp4" 640 360 8 1 $((i * 30)); done
batch() {
    rm -rf "$WORK/batch-out"
    local t0; t0=$(date +%s.%N)
    "$BIN" batch "$WORK"/batch-?.mp4 -o "$WORK/batch-out" --jobs 2 --ladder "$LADDER" --preset "$PRESET" >/dev/null 2>&1
    echo "$(date +%s.%N) - $t0" | bc
}
B_P=$(batch)
B_I=$(VITRINE_IN_PROCESS_JOBS=1 batch)
echo
echo "batch of 4 files (--jobs 2): job processes ${B_P} s, in-process ${B_I} s, ratio $(echo "scale=3; $B_P / $B_I" | bc)"
