#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS (default 600) under AddressSanitizer.
#
# Usage: Scripts/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags...]
#   TARGET: rtmp-session | amf0 | flv | cards-json | origin-request | demux | live-playlist | child-messages
#
# The seeds in Fixtures/fuzz/TARGET/ are read, never written: new inputs go to a working corpus
# in Fuzz/.build-fuzz/corpus/TARGET. A crash leaves its input in Fuzz/.build-fuzz/crashes/TARGET/
# and exits non-zero; copy it into Fixtures/fuzz/TARGET/ and add a regression test. At the end
# libFuzzer prints execs/s, coverage (cov:) and features (ft:).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${1:?usage: Scripts/fuzz.sh TARGET [SECONDS]}
SECONDS_TO_RUN=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))

SCRATCH=Fuzz/.build-fuzz
# One -sanitize=fuzzer,address for every module: given as two flags, swiftc keeps only the last
# (coverage or ASan, not both). --sanitize=fuzzer links libFuzzer's main. Release, as fuzzing
# wants executions per second; ASan still checks every access.
build() {
    swift build --package-path Fuzz --scratch-path "$SCRATCH" -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
        --product "fuzz-$TARGET" > "$SCRATCH/build-$TARGET.log" 2>&1
}
mkdir -p "$SCRATCH"
# The first build after a source file appears in the main package sometimes fails with "cannot
# find X in scope" (cause not pinned down); a second build succeeds.
if ! build; then
    echo "fuzz build failed; building once more" >&2
    build || { grep -v "Cannot export local symbol\|prohibited flag" "$SCRATCH/build-$TARGET.log" | tail -30 >&2; exit 1; }
fi
grep -v "Cannot export local symbol\|prohibited flag" "$SCRATCH/build-$TARGET.log" | tail -3
mkdir -p "$SCRATCH/corpus/$TARGET" "$SCRATCH/crashes/$TARGET"
SEEDS=()
[ -d "Fixtures/fuzz/$TARGET" ] && SEEDS=("Fixtures/fuzz/$TARGET")
# detect_leaks=0: Swift's runtime keeps metadata caches that LeakSanitizer reports at exit.
# SWIFT_BACKTRACE off: libFuzzer and ASan report crashes themselves (the backtracer would hang).
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:${ASAN_OPTIONS:-} "$SCRATCH/release/fuzz-$TARGET" \
    -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$SCRATCH/crashes/$TARGET/" "$@" "$SCRATCH/corpus/$TARGET" "${SEEDS[@]}"
