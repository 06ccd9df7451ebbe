#!/bin/sh
# Rewrites Fixtures/cards/golden/*.png from the current CardRenderer output. Look at the new PNGs
# before committing them: a golden is only as good as the eyes that approved it.
#   Fixtures/cards/refresh-goldens.sh [package-path]   (default: the repository root)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
package="${1:-$here/../..}"
VITRINE_REFRESH_GOLDENS=1 swift test --package-path "$package" --filter GoldenImageTests
ls -l "$here/golden"
