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

# demux: tiny media files (64x64, 0.5 s, with audio) in the containers a file job opens, made by
# the ffmpeg CLI; bitexact, so the same ffmpeg writes the same bytes. A few kilobytes each: the
# fuzzer mutates them, and its -max_len is 64 KiB.
mkdir -p demux
media() {
    local name=$1; shift
    ffmpeg -v error -y -f lavfi -i "testsrc2=size=64x64:rate=10:duration=0.5" -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=0.5" \
        -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1 "$@" "demux/$name"
}
h264=(-c:v libx264 -preset ultrafast -crf 45 -g 3 -pix_fmt yuv420p -c:a aac -b:a 8k -ac 1)
media tiny.mp4 "${h264[@]}"
media tiny.flv "${h264[@]}"
media tiny.ts "${h264[@]}" -f mpegts
media tiny.mkv "${h264[@]}"
# Other codecs the same demuxers carry: VP8 and Vorbis in WebM, MJPEG and PCM in AVI.
media tiny.webm -c:v libvpx -b:v 20k -c:a libvorbis -ac 1
media tiny.avi -c:v mjpeg -q:v 31 -c:a pcm_u8 -ac 1
# Audio alone: MP3; and video whose timestamps jump 3 s after its third frame (a gap that the
# frame rate converter bridges), in Matroska, which keeps its 10 fps (mp4 would average the gap in).
ffmpeg -v error -y -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=0.5" -fflags +bitexact -map_metadata -1 -c:a libmp3lame -b:a 8k demux/tiny.mp3
ffmpeg -v error -y -f lavfi -i "testsrc2=size=64x64:rate=10:duration=0.5" -f lavfi -i "sine=frequency=440:sample_rate=8000:duration=0.5" \
    -fflags +bitexact -map_metadata -1 -vf "setpts=PTS+gt(N\,2)*3/TB" "${h264[@]}" -fps_mode passthrough demux/jump.mkv

# live-playlist: playlists as a live rendition leaves them (MediaPlaylist.render via LiveWindow):
# TS with a discontinuity, fMP4 whose init changed after one, and an LL-HLS one with parts.
mkdir -p live-playlist
cat > live-playlist/ts.m3u8 <<'PLAYLIST'
#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:4
#EXT-X-DISCONTINUITY-SEQUENCE:1
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:28.000Z
#EXTINF:2.000000,
seg_00004.ts
#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:30.000Z
#EXTINF:2.000000,
seg_00005.ts
#EXT-X-DISCONTINUITY
#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:15:00.000Z
#EXTINF:1.966667,
seg_00006.ts
PLAYLIST
cat > live-playlist/fmp4.m3u8 <<'PLAYLIST'
#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:1
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init.mp4"
#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:22.000Z
#EXTINF:2.000000,
seg_00001.m4s
#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:24.000Z
#EXTINF:2.000000,
seg_00002.m4s
#EXT-X-DISCONTINUITY
#EXT-X-MAP:URI="init-0a1b2c3d.mp4"
#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:26.000Z
#EXTINF:2.000000,
seg_00003.m4s
#EXT-X-ENDLIST
PLAYLIST
cat > live-playlist/ll-hls.m3u8 <<'PLAYLIST'
#EXTM3U
#EXT-X-VERSION:9
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:10
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,PART-HOLD-BACK=1.002,HOLD-BACK=6.000
#EXT-X-PART-INF:PART-TARGET=0.334
#EXT-X-MAP:URI="init.mp4"
#EXT-X-DATERANGE:ID="card-1",CLASS="com.vitrine.card",START-DATE="2023-11-14T22:13:20.000Z",DURATION=8.000,X-PRODUCT-ID="sku-1"
#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:20.000Z
#EXTINF:2.000000,
seg_00010.m4s
#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:22.000Z
#EXT-X-PART:DURATION=0.33333,URI="seg_00011.0.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.33333,URI="seg_00011.1.m4s"
#EXT-X-PART:DURATION=0.33333,URI="seg_00011.2.m4s"
#EXT-X-PART:DURATION=0.33333,URI="seg_00011.3.m4s"
#EXT-X-PART:DURATION=0.33333,URI="seg_00011.4.m4s"
#EXT-X-PART:DURATION=0.33333,URI="seg_00011.5.m4s"
#EXTINF:2.000000,
seg_00011.m4s
#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:24.000Z
#EXT-X-PART:DURATION=0.33333,URI="seg_00012.0.m4s",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.33333,URI="seg_00012.1.m4s"
#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg_00012.2.m4s"
#EXT-X-RENDITION-REPORT:URI="../360p/index.m3u8",LAST-MSN=12,LAST-PART=1
PLAYLIST
