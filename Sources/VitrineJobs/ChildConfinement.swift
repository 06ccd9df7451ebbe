// A job process confines itself with Landlock once it knows its order, before the first byte
// of media reaches FFmpeg: hostile media that takes it over can then write only its own output
// (a live show's folder, a file job's output folder), read only what a job needs (the system's
// libraries, fonts and configuration, its input, cards and images), connect or bind no TCP port
// (the database, serve's API), and signal no process outside it (serve included).
// docs/job-protocol.md says what holds without Landlock.
import CJobProcess
import Foundation
import Logging

enum ChildConfinement {
    /// Read-only everywhere a job may need to: libraries, fonts, fontconfig's configuration and
    /// cache, locale and time zones, /proc and /dev (CPU count, /dev/urandom).
    static let systemReadable = ["/usr", "/lib", "/lib64", "/bin", "/etc", "/opt", "/proc", "/sys", "/dev", "/var/cache/fontconfig"]

    /// The folders of one live job: its show's HLS and recordings to write; its cards and images
    /// to read; the test hook's folder when a test set one.
    static func live(_ order: LiveJobOrder, environment: [String: String], logger: Logger) {
        let data = order.dataDirectory as NSString
        let show = (data.appendingPathComponent("hls") as NSString).appendingPathComponent(order.playbackID)
        var writable = [show, data.appendingPathComponent("recordings")]
        if let hook = environment["VITRINE_TEST_HOSTILE"], !hook.isEmpty { writable.append(hook) }
        try? FileManager.default.createDirectory(atPath: show, withIntermediateDirectories: true)
        var readable = systemReadable + [data.appendingPathComponent("images"), executableFolder] + fontCaches(environment)
        if let cards = order.cardsFile { readable += [cards, (cards as NSString).deletingLastPathComponent] }
        apply(readable: readable, writable: writable, logger: logger)
    }

    /// The folders of one file job: its output folder to write (made first, so the job needs no
    /// right on its parent); its input, cards and images to read.
    static func file(_ order: FileJobOrder, environment: [String: String], logger: Logger) {
        try? FileManager.default.createDirectory(atPath: order.output, withIntermediateDirectories: true)
        var readable = systemReadable + [order.input, executableFolder] + fontCaches(environment)
        if case let .file(path)? = order.cards { readable += [path, (path as NSString).deletingLastPathComponent] }
        if let images = order.imagesDirectory { readable.append(images) }
        apply(readable: readable, writable: [order.output], logger: logger)
    }

    /// fontconfig's per-user caches, which Pango reads when it draws card text.
    private static func fontCaches(_ environment: [String: String]) -> [String] {
        let caches = [environment["XDG_CACHE_HOME"], environment["HOME"].map { ($0 as NSString).appendingPathComponent(".cache") }]
        return caches.compactMap { $0 }.map { ($0 as NSString).appendingPathComponent("fontconfig") }
    }

    /// The running binary's folder (resources beside it).
    private static var executableFolder: String {
        (JobProcessOptions.thisExecutable() as NSString).deletingLastPathComponent
    }

    static func apply(readable: [String], writable: [String], logger: Logger) {
        let result = withCStrings(readable) { read in
            withCStrings(writable) { write in vitrine_landlock_confine(read, Int32(readable.count), write, Int32(writable.count)) }
        }
        switch result {
        case 0: logger.warning("Landlock is not available on this kernel: the job process is not confined (docs/job-protocol.md)")
        case ..<0: logger.error("cannot confine the job process with Landlock", metadata: ["error": "\(String(cString: strerror(errno)))"])
        default: logger.info("job process confined", metadata: ["landlockABI": "\(result)"])
        }
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
