#!/usr/bin/env bash
# Batch benchmark: 6 short recordings re-encoded to the same 720p/480p/360p ladder by
# `vitrine batch --jobs 1`, `vitrine batch --jobs 2` (release build) and, as the reference, the
# ffmpeg CLI run on one file after the other with the ladder.sh command (same x264 preset, rate
# control, fixed 2 s GOP with scene-cut off, AAC 128k, hls muxer with a master playlist).
# Prints each run's wall time and files per minute, and the ratios.
#
# Usage: Benchmarks/batch.sh      (FILES=6 SECONDS_PER_FILE=8 PRESET=veryfast WORK=/tmp/vitrine-batch-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${PRESET:-veryfast}
FILES=${FILES:-6}
SECONDS_PER_FILE=${SECONDS_PER_FILE:-8}
WORK=${WORK:-/tmp/vitrine-batch-bench}
mkdir -p "$WORK/sources"
command -v bc >/dev/null || apt-get install -y -q bc >/dev/null

source Benchmarks/lib.sh
for i in $(seq 1 "$FILES"); do
    # A different pattern and tone per file.
    make_source "$WORK/sources/show$i.mp4" 1280 720 "$SECONDS_PER_FILE" 4 $((i * 50))
done
SOURCES=("$WORK"/sources/show*.mp4)

build_release
LADDER=720p:3000k,480p:1400k,360p:800k

now() { date +%s.%N; }

run_vitrine() { # jobs
    local out="$WORK/vitrine-j$1"
    rm -rf "$out"
    local t0; t0=$(now)
    "$BIN" batch "${SOURCES[@]}" -o "$out" --jobs "$1" --ladder "$LADDER" --segment-duration 2 \
        --preset "$PRESET" --segment-format ts >"$WORK/vitrine-j$1.log" 2>&1 || { cat "$WORK/vitrine-j$1.log"; exit 1; }
    echo "$(now) - $t0" | bc
}

ffmpeg_one() { # source outdir
    mkdir -p "$2"
    ffmpeg -hide_banner -loglevel error -y -i "$1" \
        -filter_complex "[0:v]split=3[s0][s1][s2];[s0]scale=1280:720[v0];[s1]scale=854:480[v1];[s2]scale=640:360[v2]" \
        -map "[v0]" -map 0:a -map "[v1]" -map 0:a -map "[v2]" -map 0:a \
        -c:v libx264 -preset "$PRESET" -g 60 -keyint_min 60 -sc_threshold 0 -force_key_frames "expr:gte(t,n_forced*2)" \
        -b:v:0 3000k -maxrate:v:0 3210k -bufsize:v:0 4500k -profile:v:0 high \
        -b:v:1 1400k -maxrate:v:1 1498k -bufsize:v:1 2100k -profile:v:1 high \
        -b:v:2 800k -maxrate:v:2 856k -bufsize:v:2 1200k -profile:v:2 main \
        -c:a aac -b:a 128k -ar 48000 -ac 2 \
        -f hls -hls_time 2 -hls_playlist_type vod -hls_segment_filename "$2/v%v/seg_%05d.ts" \
        -master_pl_name master.m3u8 -var_stream_map "v:0,a:0 v:1,a:1 v:2,a:2" "$2/v%v/index.m3u8"
}

run_ffmpeg() {
    rm -rf "$WORK/ffmpeg"
    local t0; t0=$(now)
    for src in "${SOURCES[@]}"; do ffmpeg_one "$src" "$WORK/ffmpeg/$(basename "$src" .mp4)"; done
    echo "$(now) - $t0" | bc
}

j1=$(run_vitrine 1)
j2=$(run_vitrine 2)
ff=$(run_ffmpeg)
ok=$(ls "$WORK"/vitrine-j2/*/master.m3u8 | wc -l)
[ "$ok" -eq "${#SOURCES[@]}" ] || { echo "vitrine --jobs 2 made $ok of ${#SOURCES[@]} ladders"; exit 1; }

echo
echo "$FILES files of ${SECONDS_PER_FILE} s 720p30, ladder $LADDER, preset $PRESET, cores: $(nproc)"
printf "%-26s %9s %10s\n" run "wall s" "files/min"
for row in "vitrine batch --jobs 1:$j1" "vitrine batch --jobs 2:$j2" "ffmpeg CLI one by one:$ff"; do
    label=${row%%:*}; wall=${row##*:}
    printf "%-26s %9.2f %10.1f\n" "$label" "$wall" "$(echo "$FILES * 60 / $wall" | bc -l)"
done
echo "speed ratio --jobs 2 vs ffmpeg CLI (ffmpeg wall / vitrine wall): $(echo "scale=3; $ff / $j2" | bc)x"
echo "speed ratio --jobs 2 vs --jobs 1: $(echo "scale=3; $j1 / $j2" | bc)x"
