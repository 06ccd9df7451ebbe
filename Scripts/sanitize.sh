#!/usr/bin/env bash
# The test suites under sanitizers, each in its own build folder:
#   asan: every suite, unit and end-to-end, under AddressSanitizer (the end-to-end tests run the
#         ASan-built `vitrine`, so the server, job processes and batch workers are checked too);
#   tsan: the pipeline, server and RTMP suites under ThreadSanitizer (Dispatch lanes, the
#         memory-served origin's waiters, NIO handlers).
# Any report fails the run: ASan aborts on the first error, TSan with halt_on_error=1.
#
# Usage: Scripts/sanitize.sh [asan|tsan|all] [extra swift test arguments, e.g. --filter X]
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-all}
shift $(( $# > 0 ? 1 : 0 ))
# The Swift runtime's backtracer would catch the sanitizers' signals; let them report.
export SWIFT_BACKTRACE=enable=no

run_asan() {
    echo "== AddressSanitizer: all suites"
    swift build --build-tests --sanitize=address --scratch-path .build-asan 2>&1 | grep -v "Cannot export local symbol" | tail -2
    # detect_leaks=0: the Swift runtime's metadata caches live until exit and read as leaks.
    # VITRINE_SANITIZER: job processes leave their memory limit off (RLIMIT_DATA counts ASan's shadow).
    VITRINE_SANITIZER=address ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 VITRINE_BIN="$PWD/.build-asan/debug/vitrine" \
        swift test --skip-build --scratch-path .build-asan "$@"
}

run_tsan() {
    echo "== ThreadSanitizer: pipeline, server and RTMP suites"
    swift build --build-tests --sanitize=thread --scratch-path .build-tsan 2>&1 | tail -2
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
        swift test --skip-build --scratch-path .build-tsan --filter "VitrinePipelineTests|VitrineServerTests|VitrineRTMPTests" "$@"
}

case "$MODE" in
    asan) run_asan "$@" ;;
    tsan) run_tsan "$@" ;;
    all) run_asan "$@"; run_tsan "$@" ;;
    *) echo "usage: Scripts/sanitize.sh [asan|tsan|all] [swift test arguments]" >&2; exit 64 ;;
esac
