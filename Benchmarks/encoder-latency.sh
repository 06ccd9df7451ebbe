#!/usr/bin/env bash
# What the live latency profile costs: the same ladder (720p 3000k, 480p 1400k, 360p 800k, the
# same preset, 2 s GOP) encoded by `vitrine transcode` (release build) with --latency normal and
# --latency low (sliced threads, 5-frame rc-lookahead, no B-frames), in one run. Prints wall and
# CPU time of each, the CPU ratio, and each rung's PSNR against the source at equal bitrate, with
# the quality given up in dB.
#
# Usage: Benchmarks/encoder-latency.sh [SOURCE]   (default: the generated 20 s 1080p30 clip)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
ladder_bench_setup "${1:-}"
RUNGS=("1280 720" "854 480" "640 360")

for profile in normal low; do
    rm -rf "$WORK/latency-$profile"
    /usr/bin/time -f "%e %U %S" -o "$WORK/latency-$profile.time" "$BIN" transcode "$SOURCE" -o "$WORK/latency-$profile" \
        --ladder 720p:3000k,480p:1400k,360p:800k --preset "$PRESET" --latency "$profile" >"$WORK/latency-$profile.log" 2>&1 ||
        { cat "$WORK/latency-$profile.log"; exit 1; }
done

read -r nw nu ns < "$WORK/latency-normal.time"
read -r lw lu ls < "$WORK/latency-low.time"
echo
echo "source: $SOURCE  preset: $PRESET  cores: $(nproc)"
printf "%-8s %9s %9s\n" profile "wall s" "cpu s"
printf "%-8s %9.2f %9.2f\n" normal "$nw" "$(echo "$nu + $ns" | bc)"
printf "%-8s %9.2f %9.2f\n" low "$lw" "$(echo "$lu + $ls" | bc)"
echo "cpu ratio (low / normal): $(echo "scale=3; ($lu + $ls) / ($nu + $ns)" | bc)"
printf "%-10s %11s %11s %8s\n" rendition "normal dB" "low dB" "delta"
for r in "${RUNGS[@]}"; do
    set -- $r
    name="${2}p"
    a=$(psnr "$WORK/latency-normal/$name/index.m3u8" "$1" "$2")
    b=$(psnr "$WORK/latency-low/$name/index.m3u8" "$1" "$2")
    printf "%-10s %11s %11s %8s\n" "$name" "$a" "$b" "$(echo "scale=3; $b - $a" | bc)"
done
