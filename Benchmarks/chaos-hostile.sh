#!/usr/bin/env bash
# Hostile mode of the chaos benchmark (Benchmarks/chaos.sh MODE=hostile runs it). N publishes run
# in real time for M minutes into `vitrine serve` (release build). Show 1's job process turns
# hostile every K seconds (the VITRINE_TEST_HOSTILE hook), cycling through every attack the
# supervisor must survive: overflow, hijack of show 2's master, a ladder escaping DATA, garbage,
# a memory flood, a trespass (write, read, connect, signal), a hang. Meanwhile one address
# (127.0.0.2) floods the origin (idle sockets and requests for made-up shows) while a viewer on
# 127.0.0.1 watches show 2. It prints frames lost on the shows not attacked (must be 0), serve's
# RSS at minute 1 and at the end (within 10%), and the viewer's worst request time (under 200 ms).
#
# Usage: MODE=hostile Benchmarks/chaos.sh   (N=4 M=10 K=30 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-4}
M=${M:-10}
K=${K:-30}
WORK=${WORK:-/tmp/vitrine-chaos-hostile}
source Benchmarks/lib.sh
chaos_setup

publish() {
    ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -t "$2" -i "$WORK/source-$1.mp4" \
        -c copy -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/chaos-$1" &
}

ORDERS="$WORK/orders"; rm -rf "$ORDERS"; mkdir -p "$ORDERS"
keys=(); for i in $(seq "$N"); do keys+=(--stream-key "chaos-$i"); done
VITRINE_TEST_HOSTILE=$ORDERS start_serve "${keys[@]}" --ladder "$LADDER" --preset "$PRESET" --grace 10 --list-size 10
PUBLISHERS=()
for i in $(seq 2 "$N"); do publish "$i" "$SECONDS_LONG"; PUBLISHERS+=($!); done
END=$(( $(date +%s) + SECONDS_LONG ))
sleep 8
id_of() { python3 -c "import json,sys; print(json.load(open('$DATA/keys.json'))['chaos-$1'])"; }
VICTIM=$(id_of 2)

# The viewer of show 2 (127.0.0.1) and the flooder (127.0.0.2), both bounded by END.
python3 - "$HTTP_PORT" "$VICTIM" "$END" >"$WORK/viewer.txt" <<'PY' &
import sys, time, urllib.request
port, victim, end = sys.argv[1], sys.argv[2], int(sys.argv[3])
worst, count, failures = 0.0, 0, 0
base = f"http://127.0.0.1:{port}/hls/{victim}"
while time.time() < end - 5:
    for path in ("/master.m3u8", "/360p/index.m3u8"):
        start = time.time()
        try:
            urllib.request.urlopen(base + path, timeout=10).read()
        except Exception:
            failures += 1
        worst = max(worst, time.time() - start)
        count += 1
    time.sleep(0.5)
print(f"{worst * 1000:.0f} {count} {failures}")
PY
VIEWER=$!
python3 - "$HTTP_PORT" "$END" >"$WORK/flood.txt" <<'PY' &
import random, socket, string, sys, time
port, end = int(sys.argv[1]), int(sys.argv[2])
idle, requests = [], 0
def connect():
    s = socket.socket(); s.bind(("127.0.0.2", 0)); s.settimeout(2); s.connect(("127.0.0.1", port)); return s
while time.time() < end - 5:
    try:
        if len(idle) < 300: idle.append(connect())
        s = connect()
        fake = "".join(random.choice(string.ascii_letters) for _ in range(16))
        s.sendall(f"GET /hls/{fake}/360p/index.m3u8?vs=forged{requests} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        s.recv(4096); s.close(); requests += 1
    except OSError:
        time.sleep(0.05)
print(f"{requests} {len(idle)}")
PY
FLOOD=$!

# Show 1: hostile every K s, its publisher restarted whenever the supervisor cuts it off.
ATTACKS=(overflow "hijack $VICTIM" escape garbage flood "trespass $HTTP_PORT" hang)
publish 1 "$SECONDS_LONG"; HOSTILE_PUB=$!
sleep 1
RSS_MINUTE=""; N_ATTACKS=0
while [ "$(date +%s)" -lt $((END - 15)) ]; do
    kill -0 "$HOSTILE_PUB" 2>/dev/null || { publish 1 $((END - $(date +%s))); HOSTILE_PUB=$!; sleep 6; }
    echo "${ATTACKS[$((N_ATTACKS % ${#ATTACKS[@]}))]}" >"$ORDERS/$(id_of 1)"
    N_ATTACKS=$((N_ATTACKS + 1))
    sleep "$K"
    [ -n "$RSS_MINUTE" ] || RSS_MINUTE=$(rss_of "$SERVER")
done
RSS_END=$(rss_of "$SERVER")
for p in "${PUBLISHERS[@]}"; do wait "$p" || true; done
kill "$HOSTILE_PUB" 2>/dev/null || true
wait "$VIEWER" "$FLOOD" || true
sleep 4
api "/v1/jobs?limit=200" >"$WORK/jobs.json"
kill -TERM "$SERVER"; wait "$SERVER" || true
python3 - "$WORK/jobs.json" "$DATA/keys.json" "$N" <<'PY'
import json, sys
jobs = [j for j in json.load(open(sys.argv[1]))["jobs"] if j["kind"] == "live"]
keys = json.load(open(sys.argv[2]))
attacked = keys["chaos-1"]
lost, untouched = [], 0
for job in jobs:
    if job.get("playbackId") == attacked: continue
    report = job.get("report") or {}
    untouched += 1
    lost.append(report.get("droppedUnits", 0) + 1000 * len(report.get("restarts") or []))
print(f"shows not attacked: {untouched}; frames lost on them: {sum(lost)} (per show, a restart counts 1000: {lost})")
PY
read -r WORST VIEWS FAILS <"$WORK/viewer.txt"
read -r FLOODED IDLE <"$WORK/flood.txt"
echo "hostile orders given to show 1: $N_ATTACKS (every $K s, cycling ${#ATTACKS[@]} kinds); protocol violations logged: $(grep -c 'protocol violation' "$LOG" || true)"
echo "origin flood from 127.0.0.2: $FLOODED requests for made-up shows, $IDLE idle sockets held"
echo "viewer on 127.0.0.1: $VIEWS requests, $FAILS failed, worst ${WORST} ms (target under 200)"
echo "serve RSS: ${RSS_MINUTE} MiB after the first attack, ${RSS_END} MiB at the end (ratio $(echo "scale=3; $RSS_END / $RSS_MINUTE" | bc))"
