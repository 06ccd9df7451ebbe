#!/usr/bin/env bash
# Ladder benchmark: Vitrine (release build) against the ffmpeg CLI doing the same work on the same
# source in the same run: one decode, scale to 720p/480p/360p, libx264 with the same preset, rate
# control and fixed 2 s GOP with scene-cut off, AAC 128k, HLS segments and a master playlist.
# Prints wall time, CPU time, peak RSS, the speed ratio and each rendition's PSNR against the
# source scaled to that size (bicubic), for both.
#
# Usage: Benchmarks/ladder.sh [SOURCE]   (default: a generated 20 s 1080p30 H.264+AAC clip)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
ladder_bench_setup "${1:-}"
RUNGS=("1280 720 3000" "854 480 1400" "640 360 800")

measure() { # label outdir command...
    local label=$1 out=$2; shift 2
    rm -rf "$out"; mkdir -p "$out"
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/$label.time" "$@" >"$WORK/$label.log" 2>&1 || { cat "$WORK/$label.log"; exit 1; }
}

measure vitrine "$WORK/vitrine" "$BIN" transcode "$SOURCE" -o "$WORK/vitrine" \
    --ladder 720p:3000k,480p:1400k,360p:800k --segment-duration 2 --preset "$PRESET" --segment-format ts

FF_MAPS=() ; FF_CODEC=() ; i=0
for r in "${RUNGS[@]}"; do
    set -- $r
    profile=high; [ "$2" -lt 480 ] && profile=main
    FF_MAPS+=(-map "[v$i]" -map 0:a)
    FF_CODEC+=(-b:v:$i ${3}k -maxrate:v:$i $(( $3 * 107 / 100 ))k -bufsize:v:$i $(( $3 * 3 / 2 ))k -profile:v:$i $profile)
    i=$((i+1))
done
measure ffmpeg "$WORK/ffmpeg" ffmpeg -hide_banner -y -i "$SOURCE" \
    -filter_complex "[0:v]split=3[s0][s1][s2];[s0]scale=1280:720[v0];[s1]scale=854:480[v1];[s2]scale=640:360[v2]" \
    "${FF_MAPS[@]}" -c:v libx264 -preset "$PRESET" -g 60 -keyint_min 60 -sc_threshold 0 -force_key_frames "expr:gte(t,n_forced*2)" \
    "${FF_CODEC[@]}" -c:a aac -b:a 128k -ar 48000 -ac 2 \
    -f hls -hls_time 2 -hls_playlist_type vod -hls_segment_filename "$WORK/ffmpeg/v%v/seg_%05d.ts" \
    -master_pl_name master.m3u8 -var_stream_map "v:0,a:0 v:1,a:1 v:2,a:2" "$WORK/ffmpeg/v%v/index.m3u8"

read -r vw vu vs vm < "$WORK/vitrine.time"
read -r fw fu fs fm < "$WORK/ffmpeg.time"
echo
echo "source: $SOURCE  preset: $PRESET  cores: $(nproc)"
printf "%-8s %9s %9s %11s\n" "" "wall s" "cpu s" "peak RSS MB"
printf "%-8s %9.2f %9.2f %11.1f\n" vitrine "$vw" "$(echo "$vu + $vs" | bc)" "$(echo "$vm / 1024" | bc -l)"
printf "%-8s %9.2f %9.2f %11.1f\n" ffmpeg "$fw" "$(echo "$fu + $fs" | bc)" "$(echo "$fm / 1024" | bc -l)"
echo "speed ratio (ffmpeg wall / vitrine wall): $(echo "scale=3; $fw / $vw" | bc)x"
echo "memory ratio (vitrine peak / ffmpeg peak): $(echo "scale=3; $vm / $fm" | bc)"
printf "%-10s %12s %12s %8s\n" rendition "vitrine dB" "ffmpeg dB" "delta"
i=0
for r in "${RUNGS[@]}"; do
    set -- $r
    name="${2}p"
    a=$(psnr "$WORK/vitrine/$name/index.m3u8" "$1" "$2")
    b=$(psnr "$WORK/ffmpeg/v$i/index.m3u8" "$1" "$2")
    printf "%-10s %12s %12s %8s\n" "$name" "$a" "$b" "$(echo "scale=3; $a - $b" | bc)"
    i=$((i+1))
done
