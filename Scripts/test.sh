#!/usr/bin/env bash
# The whole test suite: unit tests per module and end-to-end tests of the real binary
# (debug build) checked with ffprobe and ffmpeg as an HLS client.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build
