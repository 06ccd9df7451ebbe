#!/bin/sh
# Regenerates the small product images used by show.json and the VitrineOverlay tests, with the
# ffmpeg CLI's lavfi sources only (no external assets). Run from anywhere.
set -eu
cd "$(dirname "$0")"
FF="ffmpeg -hide_banner -loglevel error -y"

# PNG with an alpha channel: a test pattern inside a transparent rounded-ish border.
$FF -f lavfi -i "testsrc2=size=160x160:rate=1" -frames:v 1 \
    -vf "format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lt(hypot(X-80,Y-80),78),255,0)'" sneaker.png

# JPEG (full-range yuvj420p): colour bars with a box.
$FF -f lavfi -i "smptebars=size=200x150:rate=1" -frames:v 1 \
    -vf "drawbox=x=60:y=40:w=80:h=70:color=white@0.8:t=fill" -q:v 4 bag.jpg

# WebP: a plain colour with a gradient band.
$FF -f lavfi -i "color=c=0x2E7D32:size=128x128:rate=1" -frames:v 1 \
    -vf "drawbox=x=0:y=48:w=128:h=32:color=0xFFC107:t=fill" -c:v libwebp -lossless 1 cap.webp

ls -l sneaker.png bag.jpg cap.webp
