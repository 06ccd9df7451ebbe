# Shared by the benchmark scripts: the camera-like sources they encode and the release build
# they measure. Source it after `cd` to the repository root.

# make_source PATH WIDTH HEIGHT SECONDS BITRATE_MBPS [HUE]
# A moving test pattern with light film grain and a tone, H.264 (2 s GOP) + AAC, at a camera-like
# bitrate, so the encoders have real work and decoding costs what a real upload costs. Made once.
make_source() {
    local path=$1 width=$2 height=$3 seconds=$4 mbps=$5 hue=${6:-0}
    [ -f "$path" ] && return
    echo "making $path (${seconds} s ${height}p30 H.264+AAC)"
    ffmpeg -hide_banner -loglevel error -y \
        -f lavfi -i "testsrc2=size=${width}x${height}:rate=30:duration=$seconds,hue=h=$hue,noise=alls=6:allf=t" \
        -f lavfi -i "sine=frequency=$((440 + hue)):sample_rate=48000:duration=$seconds" \
        -c:v libx264 -preset medium -b:v "${mbps}M" -maxrate "$((mbps * 5 / 4))M" -bufsize "$((mbps * 2))M" \
        -pix_fmt yuv420p -g 60 -c:a aac -b:a 160k -ac 2 "$path"
}

# ladder_bench_setup [SOURCE]: what the ladder benchmarks share: PRESET (veryfast), WORK, the
# timing tools, SOURCE (default: a generated 20 s 1080p30 clip) and the release binary (BIN).
ladder_bench_setup() {
    PRESET=${PRESET:-veryfast}
    WORK=${WORK:-/tmp/vitrine-bench}
    mkdir -p "$WORK"
    { command -v /usr/bin/time && command -v bc; } >/dev/null || apt-get install -y -q time bc >/dev/null
    SOURCE=${1:-$WORK/source-1080p30.mp4}
    make_source "$SOURCE" 1920 1080 20 8
    build_release
}

# live_bench_setup DEFAULT_WORK SECONDS [SOURCE]: what the live benchmarks share: PRESET
# (veryfast), LADDER (720p/480p/360p), WORK (default DEFAULT_WORK), SOURCE (default: a generated
# 720p30 clip SECONDS long) and the release binary (BIN).
live_bench_setup() {
    PRESET=${PRESET:-veryfast}
    LADDER=${LADDER:-720p:3000k,480p:1400k,360p:800k}
    WORK=${WORK:-$1}
    mkdir -p "$WORK"
    SOURCE=${3:-$WORK/source-720p30.mp4}
    make_source "$SOURCE" 1280 720 "$2" 4
    build_release
}

# start_publish KEY: the ffmpeg CLI publishes $SOURCE in real time to KEY on the server
# start_serve started, and this waits for the stream's master playlist. Sets PUBLISHER (pid) and
# PLAYBACK (the playback id).
start_publish() {
    ffmpeg -nostdin -hide_banner -loglevel error -re -i "$SOURCE" -c copy -f flv "rtmp://127.0.0.1:$RTMP_PORT/live/$1" &
    PUBLISHER=$!
    PLAYBACK=""
    for _ in $(seq 100); do
        PLAYBACK=$(ls "$DATA/hls" 2>/dev/null | head -1)
        [ -n "$PLAYBACK" ] && [ -f "$DATA/hls/$PLAYBACK/master.m3u8" ] && return
        sleep 0.2
    done
    echo "no master playlist for $1 after 20 s"; tail -20 "$LOG"; kill "$PUBLISHER" "$SERVER"; exit 1
}

# build_release: the release binary in $SCRATCH (default .build-bench, away from the debug
# build); sets BIN.
build_release() {
    SCRATCH=${SCRATCH:-.build-bench}
    swift build -c release --product vitrine --scratch-path "$SCRATCH" >/dev/null
    BIN="$SCRATCH/release/vitrine"
}

# start_serve ARGS...: `vitrine serve` on free loopback ports with a fresh $WORK/data, logging to
# $WORK/serve.log; waits until both listeners are up. Sets DATA, LOG, SERVER (pid), RTMP_PORT,
# HTTP_PORT.
start_serve() {
    DATA="$WORK/data"
    rm -rf "$DATA"; mkdir -p "$DATA"
    LOG="$WORK/serve.log"
    "$BIN" serve --rtmp 127.0.0.1:0 --http 127.0.0.1:0 --data "$DATA" "$@" >"$LOG" 2>&1 &
    SERVER=$!
    RTMP_PORT=""; HTTP_PORT=""
    for _ in $(seq 100); do
        RTMP_PORT=$(grep 'rtmp server listening' "$LOG" | grep -o 'port=[0-9]*' | head -1 | cut -d= -f2 || true)
        HTTP_PORT=$(grep 'http server listening' "$LOG" | grep -o 'port=[0-9]*' | head -1 | cut -d= -f2 || true)
        [ -n "$RTMP_PORT" ] && [ -n "$HTTP_PORT" ] && return
        sleep 0.1
    done
    cat "$LOG"; kill "$SERVER"; exit 1
}

# psnr PLAYLIST WIDTH HEIGHT: average PSNR (dB) of a rendition against $SOURCE scaled to its size
# (bicubic), first frames aligned.
psnr() {
    ffmpeg -hide_banner -i "$1" -i "$SOURCE" -filter_complex \
        "[0:v]setpts=PTS-STARTPTS[a];[1:v]scale=$2:$3:flags=bicubic,setpts=PTS-STARTPTS[b];[a][b]psnr" -f null - 2>&1 |
        sed -n 's/.*PSNR.* average:\([0-9.inf]*\).*/\1/p' | tail -1
}

# chaos_setup: what both chaos benchmarks share (Benchmarks/chaos.sh, chaos-hostile.sh): N
# publishes' sources in $WORK, the release build, the API token, and api / rss_of. Expects N, M
# and WORK set; sets LADDER, PRESET and SECONDS_LONG when unset.
chaos_setup() {
    LADDER=${LADDER:-360p:800k,240p:400k}
    PRESET=${PRESET:-veryfast}
    TOKEN=chaos-bench-token-0123456789
    export VITRINE_API_TOKEN=$TOKEN
    mkdir -p "$WORK"
    SECONDS_LONG=$((M * 60))
    for i in $(seq "$N"); do make_source "$WORK/source-$i.mp4" 640 360 30 1 $((i * 40)); done
    build_release
}
api() { curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT$1"; }
rss_of() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$1/status"; }
