#!/usr/bin/env bash
# The whole test suite: unit tests per module and end-to-end tests of the real binary (debug
# build) driven by real clients: ffmpeg/ffprobe, GStreamer, curl, PostgreSQL, headless Chromium.
#
# Two runs: the job-store tests talk to PostgreSQL in-process through async/await, and the
# end-to-end tests block Swift's cooperative threads (2 on a 2-core machine) while they wait on
# child processes; sharing one run, the database tests could starve for minutes. Everything that
# talks to PostgreSQL from another process (the batch queue tests) stays in the main run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build --filter VitrineStoreTests
swift test --skip-build --skip VitrineStoreTests
