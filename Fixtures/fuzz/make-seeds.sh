#!/usr/bin/env bash
# Writes the seed corpora for Scripts/fuzz.sh from the fixtures already in the repository
# (RTMP captures, the cards file) and a few hand-made inputs. Run from anywhere; idempotent.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p rtmp-session amf0 flv cards-json origin-request

# rtmp-session: mode byte 0 (the capture carries its own handshake), fed whole and in pieces.
for capture in ../rtmp/*.bin; do
    name=$(basename "$capture" .bin)
    for mode in 0 14 254; do
        { printf "\\x$(printf %02x $mode)"; cat "$capture"; } > "rtmp-session/$name-$mode"
    done
done

# amf0: a connect command, an onMetaData ECMA array, a strict array, a date and a long string.
printf '\x02\x00\x07connect\x00\x3f\xf0\x00\x00\x00\x00\x00\x00\x03\x00\x03app\x02\x00\x04live\x00\x00\x09' > amf0/connect
printf '\x02\x00\x0aonMetaData\x08\x00\x00\x00\x02\x00\x05width\x00\x40\x94\x00\x00\x00\x00\x00\x00\x00\x06stereo\x01\x01\x00\x00\x09' > amf0/metadata
printf '\x0a\x00\x00\x00\x02\x05\x06\x0b\x42\x78\x00\x00\x00\x00\x00\x00\x00\x00\x0c\x00\x00\x00\x03abc' > amf0/arrays

# flv: byte 0 even = video, odd = audio; then the tag body.
printf '\x00\x17\x00\x00\x00\x00\x01\x64\x00\x1f\xff\xe1\x00\x04\x67\x64\x00\x1f\x01\x00\x04\x68\xee\x3c\x80' > flv/avc-sequence-header
printf '\x00\x27\x01\x00\x00\x21\x00\x00\x00\x05\x65\x88\x80\x40\x00' > flv/avc-inter-frame
printf '\x01\xaf\x00\x12\x10' > flv/aac-sequence-header
printf '\x01\xaf\x01\x21\x10\x05\x20' > flv/aac-frame

# cards-json: the demo show's cards.
cp ../cards/show.json cards-json/show.json

# origin-request: 4 bytes of file size (little endian), then target, newline, Range value.
seed() { { printf '\x00\x10\x00\x00'; printf '%s\n%s' "$1" "$2"; } > "origin-request/$3"; }
seed "/hls/demo/master.m3u8" "bytes=0-99" master
seed "/hls/demo/720p/index.m3u8?_HLS_msn=12&_HLS_part=2&_HLS_skip=YES" "bytes=-500" blocking-reload
seed "/hls/demo/720p/seg_00012.3.m4s" "bytes=100-" part
seed "/hls/demo/360p/init.mp4" "bytes=5-4" init
