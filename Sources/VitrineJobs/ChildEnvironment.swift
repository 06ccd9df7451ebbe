// What a job process inherits from serve's environment: only what it needs, by name. serve's
// environment holds secrets (VITRINE_API_TOKEN, the database URL with its password) and settings
// a child must not choose for itself (LD_PRELOAD, LD_LIBRARY_PATH); hostile code in a child would
// read or use them. Everything not listed here is dropped.
import Foundation

enum ChildEnvironment {
    /// Passed as they are: locale, time zone, temporary folder, and where fontconfig finds its
    /// configuration and cache (card text is drawn with Pango).
    static let passed: Set<String> = [
        "PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "LC_MESSAGES",
        "TZ", "TMPDIR", "FONTCONFIG_FILE", "FONTCONFIG_PATH", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_DIRS",
        // The documented test hooks (docs/job-protocol.md) and the sanitizer runs of Scripts/sanitize.sh.
        "VITRINE_TEST_FAULT", "VITRINE_TEST_HOSTILE", "VITRINE_TEST_WATCHDOG_SECONDS", "VITRINE_SANITIZER",
        "ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS",
    ]

    /// The child's environment made from `parent`'s.
    static func make(from parent: [String: String]) -> [String: String] {
        var environment = parent.filter { passed.contains($0.key) }
        // The supervisor writes the crash report; a backtrace would only delay the restart.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        return environment
    }
}
