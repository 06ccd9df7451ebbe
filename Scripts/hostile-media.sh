#!/usr/bin/env bash
# Hostile media through the real binary. The ffmpeg CLI makes each file (truncated, garbage,
# empty, huge pictures, absurd aspect ratios, timestamps hours apart, 1000 fps, 8 audio channels,
# corrupted bytes...). Then:
#   transcode: each either succeeds with HLS that ffprobe reads, or fails with an error line
#              and its documented exit code (65, 66, 70); a signal or a silent failure fails;
#   serve:     each file that FLV can carry is published over RTMP to one `vitrine serve`; the
#              server must stay up (same process, /healthz 200), each publish must end as a job
#              that succeeded or failed with a reason, and its playlists must name only files
#              that exist.
# Prints one line per case and a summary; exits 1 if any case broke a rule.
#
# Usage: Scripts/hostile-media.sh [WORK]   (BIN=path/to/vitrine, default .build/debug/vitrine)
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/.build/debug/vitrine}
WORK=${1:-/tmp/vitrine-hostile}
rm -rf "$WORK"; mkdir -p "$WORK/media"
M="$WORK/media"
ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
src() { echo -f lavfi -i "testsrc=size=${1:-320x240}:rate=${2:-30}:duration=${3:-3}"; }
tone() { echo -f lavfi -i "sine=frequency=440:sample_rate=${1:-48000}:duration=${2:-3}"; }

echo "making hostile media in $M"
: > "$M/empty.mp4"
head -c 65536 /dev/urandom > "$M/garbage.mp4"
ff $(src) $(tone) -c:v libx264 -c:a aac "$M/good.mp4"
head -c 40000 "$M/good.mp4" > "$M/truncated.mp4"
ff $(src) $(tone) -c:v libx264 -c:a aac "$M/good.ts"
head -c 60000 "$M/good.ts" > "$M/truncated.ts"
cp "$M/good.ts" "$M/corrupted.ts"
# Every 7th 188-byte packet of the middle third overwritten with noise.
size=$(stat -c %s "$M/good.ts")
for offset in $(seq $((size / 3)) $((188 * 7)) $((2 * size / 3))); do
    head -c 188 /dev/urandom | dd of="$M/corrupted.ts" bs=1 seek="$offset" conv=notrunc status=none
done
ff $(src 5120x2880 1 1) -c:v libx264 -preset ultrafast "$M/huge-picture.mp4"
ff $(src 16x16) -c:v libx264 "$M/tiny-picture.mp4"
ff $(src 321x241) -c:v libx264 -pix_fmt yuv444p "$M/odd-size-444.mp4"
ff $(src) -vf setsar=1000/1 -c:v libx264 "$M/sar-1000.mp4"
ff $(src) -vf setsar=1/1000 -c:v libx264 "$M/sar-1-1000.mkv"
ff $(src 320x240 1000 1) -c:v libx264 -preset ultrafast "$M/1000fps.mkv"
ff $(src 320x240 1 6) -c:v libx264 "$M/1fps.mp4"
ff $(src) -itsoffset 36000 $(tone) -c:v libx264 -c:a aac "$M/audio-10h-late.mkv"
ff $(src) $(tone) -c:v libx264 -c:a aac -output_ts_offset 90000 "$M/starts-at-25h.ts"
ff $(src) -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=3" -filter_complex "[1:a]pan=7.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0|c6=c0|c7=c0[a]" \
    -map 0:v -map "[a]" -c:v libx264 -c:a aac "$M/8-channels.mp4"
ff $(src) $(tone 8000) -c:v libx264 -c:a aac -ac 1 "$M/8khz-mono.flv"
ff $(tone) -c:a aac "$M/audio-only.m4a"
ff $(src) -c:v libx264 -an "$M/video-only.mkv"
ff $(src) $(tone 48000 1) -c:v libx264 -c:a aac "$M/audio-ends-early.mov"
ff $(src 320x240 30 3) -c:v mpeg4 "$M/mpeg4-part2.mkv"
ff $(src) -c:v libx264 -bf 16 -b_strategy 2 -refs 16 "$M/16-bframes.mp4"
ff -f lavfi -i "testsrc=size=320x240:rate=30:duration=1" -f lavfi -i "testsrc=size=640x480:rate=30:duration=1" \
    -filter_complex "[0:v][1:v]concat=n=2:v=1[v]" -map "[v]" -c:v libx264 "$M/size-change.ts" 2>/dev/null ||
    ff $(src) -c:v libx264 "$M/size-change.ts"
printf '#EXTM3U\n#EXTINF:2,\nhttp://127.0.0.1:9/x.ts\n' > "$M/playlist.m3u8"

failures=0
note() { printf '%-22s %-9s %s\n' "$1" "$2" "$3"; }

echo; echo "== transcode (240p:300k)"
for input in "$M"/*; do
    name=$(basename "$input")
    out="$WORK/out/$name"
    "$BIN" transcode "$input" -o "$out" --ladder 240p:300k --preset ultrafast >"$WORK/$name.log" 2>&1
    status=$?
    error=$(grep -i -m1 "error" "$WORK/$name.log" | cut -c1-200)
    if [ $status -eq 0 ]; then
        if ffprobe -v error -i "$out/master.m3u8" -show_entries format=duration -of csv=p=0 >/dev/null 2>&1; then
            note "$name" "ok" "valid HLS"
        else
            note "$name" "BROKEN" "exit 0 but ffprobe cannot read $out/master.m3u8"; failures=$((failures + 1))
        fi
    elif [ $status -gt 128 ]; then
        note "$name" "BROKEN" "killed by signal $((status - 128))"; failures=$((failures + 1))
    elif [ -z "$error" ] || ! [[ " 64 65 66 70 73 74 " == *" $status "* ]]; then
        note "$name" "BROKEN" "exit $status without a clear error: $(tail -1 "$WORK/$name.log" | cut -c1-80)"; failures=$((failures + 1))
    else
        note "$name" "refused" "exit $status: ${error#*error: }"
    fi
done

echo; echo "== serve (each file published over RTMP with -c copy)"
DATA="$WORK/data"; LOG="$WORK/serve.log"; mkdir -p "$DATA"
"$BIN" serve --rtmp 127.0.0.1:0 --http 127.0.0.1:0 --data "$DATA" --stream-key hostile --ladder 240p:300k \
    --preset ultrafast --grace 1 >"$LOG" 2>&1 &
SERVER=$!
for _ in $(seq 100); do grep -q 'http server listening' "$LOG" && grep -q 'rtmp server listening' "$LOG" && break; sleep 0.1; done
RTMP_PORT=$(grep 'rtmp server listening' "$LOG" | grep -o 'port=[0-9]*' | head -1 | cut -d= -f2)
HTTP_PORT=$(grep 'http server listening' "$LOG" | grep -o 'port=[0-9]*' | head -1 | cut -d= -f2)
for input in "$M"/*; do
    name=$(basename "$input")
    if ! timeout 30 ffmpeg -nostdin -hide_banner -loglevel quiet -re -i "$input" -c copy -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/hostile"; then
        note "$name" "skipped" "ffmpeg cannot send it as FLV"
    fi
    # The job ends after the 1 s grace; the next publish on the key comes after it.
    sleep 2.5
    if ! kill -0 "$SERVER" 2>/dev/null; then
        note "$name" "BROKEN" "the server died: $(tail -3 "$LOG" | tr '\n' ' ' | cut -c1-120)"; failures=$((failures + 1)); break
    fi
done
if kill -0 "$SERVER" 2>/dev/null; then
    health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/healthz")
    [ "$health" = 200 ] || { note serve BROKEN "/healthz answered $health"; failures=$((failures + 1)); }
    # Every playlist names only files that exist.
    for playlist in $(find "$DATA/hls" -name index.m3u8); do
        for segment in $(grep -v '^#' "$playlist"); do
            [ -f "$(dirname "$playlist")/$segment" ] || { note serve BROKEN "$playlist names missing $segment"; failures=$((failures + 1)); }
        done
    done
    note serve "up" "pid $SERVER after every publish; $(grep -c 'rtmp publish ended' "$LOG") publishes ended, $(grep -ci 'error\|failed' "$LOG") error lines"
    kill -TERM "$SERVER"; wait "$SERVER"
    status=$?
    [ $status -eq 0 ] || { note serve BROKEN "exit $status on SIGTERM"; failures=$((failures + 1)); }
fi

echo; echo "$failures case(s) broke a rule"
[ $failures -eq 0 ]
