#!/usr/bin/env bash
# Regenerates the small media fixtures under Fixtures/media with the ffmpeg CLI.
# Deterministic sources (lavfi test patterns and tones) so anyone can rebuild them.
set -euo pipefail
cd "$(dirname "$0")/media"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }

# The bundled show: 6 s of 720p30 H.264 High + AAC stereo, a moving pattern that exercises the encoder.
ff -f lavfi -i "testsrc2=size=1280x720:rate=30:duration=6" \
   -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=6" \
   -c:v libx264 -preset veryfast -crf 30 -g 60 -pix_fmt yuv420p \
   -c:a aac -b:a 96k -ac 2 -movflags +faststart show-720p.mp4

# A portrait phone recording: 360x640 stored landscape with rotation metadata, 4 s, mono 48 kHz.
ff -f lavfi -i "testsrc=size=640x360:rate=30:duration=4" \
   -f lavfi -i "sine=frequency=660:sample_rate=48000:duration=4" \
   -c:v libx264 -preset veryfast -crf 32 -c:a aac -b:a 64k -ac 1 phone-unrotated.mp4
# The rotation tag only sticks when stream-copying (FFmpeg 5.1).
ff -i phone-unrotated.mp4 -c copy -metadata:s:v:0 rotate=90 phone-rotated.mp4
rm phone-unrotated.mp4

# Audio only, as FLV-era replays sometimes are.
ff -f lavfi -i "sine=frequency=330:sample_rate=44100:duration=5" -c:a aac -b:a 64k audio-only.m4a
ls -l
