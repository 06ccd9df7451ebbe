#!/usr/bin/env bash
# Card push benchmark: how fast an operator's card reaches the picture. The ffmpeg CLI publishes
# a 720p30 source in real time into `vitrine serve` (release build, 720p/480p/360p ladder); this
# pushes, changes and hides cards through the HTTP API while it runs, and prints the delay
# Vitrine measured for each change (from the API request to the first frame showing it in the
# slowest rendition): in milliseconds and in frames, with the median and the worst. The target
# is two frames. The ffmpeg CLI has no live card API to compare with, so the reference printed
# is the frame time itself (33.3 ms at 30 fps): the delay in frames is the ratio to it.
#
# Usage: Benchmarks/card-push.sh [SOURCE]   (default: the live benchmark's generated 30 s clip)
set -euo pipefail
cd "$(dirname "$0")/.."
LADDER=${LADDER:-720p:3000k,480p:1400k,360p:800k}
WORK=${WORK:-/tmp/vitrine-card-bench}
TOKEN=bench-token-0123456789abcdef
mkdir -p "$WORK"

source Benchmarks/lib.sh
SOURCE=${1:-$WORK/source-720p30.mp4}
make_source "$SOURCE" 1280 720 30 4
build_release
VITRINE_API_TOKEN=$TOKEN start_serve --ladder "$LADDER" --preset veryfast --grace 1
trap 'kill -TERM $SERVER 2>/dev/null || true' EXIT
API="http://127.0.0.1:$HTTP_PORT/v1"
call() { curl -sS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
KEY_JSON=$(call -X POST "$API/keys")
RTMP_URL=$(echo "$KEY_JSON" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rtmpUrl"])')

echo "publishing $SOURCE in real time ($LADDER, veryfast)"
ffmpeg -nostdin -hide_banner -loglevel error -re -i "$SOURCE" -c copy -f flv "$RTMP_URL" &
PUBLISHER=$!
JOB=""
for _ in $(seq 100); do
    JOB=$(call "$API/jobs?state=running" | python3 -c 'import json,sys; j=json.load(sys.stdin)["jobs"]; print(j[0]["id"] if j else "")')
    [ -n "$JOB" ] && break
    sleep 0.2
done
sleep 3

DELAYS="$WORK/delays.txt"
: >"$DELAYS"
record() {
    # Waits for the change to be applied and appends "ms frames".
    for _ in $(seq 50); do
        LINE=$(call "$API/jobs/$JOB/cards" | python3 -c "
import json,sys
for c in json.load(sys.stdin)['cards']:
    if c['id'] == '$1' and not c['applying'] and 'applied' in c:
        print(c['applied']['delayMs'], c['applied']['delayFrames'])" || true)
        [ -n "$LINE" ] && { echo "$LINE" >>"$DELAYS"; return; }
        sleep 0.1
    done
    echo "card $1: change never applied" >&2
}
for i in $(seq 1 8); do
    call -X POST "$API/jobs/$JOB/cards" -d "{\"id\":\"deal$i\",\"sku\":\"SKU-$i\",\"kind\":\"priceTag\",\"price\":{\"amount\":\"$((10 + i)).90\",\"currency\":\"EUR\",\"locale\":\"fr-FR\"},\"position\":{\"anchor\":\"topRight\"}}" >/dev/null
    record "deal$i"
    sleep 0.4
    call -X PATCH "$API/jobs/$JOB/cards/deal$i" -d '{"price":{"amount":"9.99"}}' >/dev/null
    record "deal$i"
    sleep 0.4
    call -X DELETE "$API/jobs/$JOB/cards/deal$i" >/dev/null
    sleep 0.4
done
kill "$PUBLISHER" 2>/dev/null || true
wait "$PUBLISHER" 2>/dev/null || true

python3 - "$DELAYS" <<'PY'
import statistics, sys
rows = [tuple(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
if not rows:
    sys.exit("no card changes were measured")
ms = sorted(r[0] for r in rows); frames = sorted(r[1] for r in rows)
frame_ms = 1000 / 30
print(f"card changes measured: {len(rows)} (push and price drop, 3 renditions each)")
print(f"delay ms:     median {statistics.median(ms):6.1f}   worst {ms[-1]:6.1f}")
print(f"delay frames: median {statistics.median(frames):6.1f}   worst {frames[-1]:6.0f}   (target: 2)")
print(f"reference: one frame at 30 fps = {frame_ms:.1f} ms; median delay = {statistics.median(ms) / frame_ms:.2f} frame times")
PY
