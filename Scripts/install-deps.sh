#!/usr/bin/env bash
# Installs the Debian 12 packages Vitrine builds against and the real clients its tests drive.
# Swift itself comes from the machine image (/opt/swift) or swift.org.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
    pkg-config \
    libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev \
    libpango1.0-dev libcairo2-dev libsqlite3-dev \
    fonts-dejavu-core fonts-noto-cjk fonts-noto-color-emoji tesseract-ocr tesseract-ocr-eng \
    ffmpeg curl postgresql chromium chromium-driver procps \
    gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
    gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
