// A real PostgreSQL server for the tests of this target, started by Scripts/throwaway-postgres.sh
// (which end-to-end tests call too) on 127.0.0.1 and stopped when the suites using it end.
// Suites opt in with the `.throwawayPostgres` trait; one server is shared by all of them, each
// test makes its own database with `ThrowawayPostgres.database()`. If the tests crash or are
// killed, the script's watchdog stops the server when this process exits.
// Missing PostgreSQL makes each Postgres test fail with the script's message, never skip.
import Foundation
import Testing

final class ThrowawayPostgres: Sendable {
    /// The script, found from this file so it works from any working directory.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/throwaway-postgres.sh").path

    /// postgres://vitrine@127.0.0.1:PORT/postgres (superuser, trust auth).
    let url: String
    let directory: String

    private init(url: String, directory: String) {
        self.url = url
        self.directory = directory
    }

    /// Starts a server in a new folder under the temporary directory.
    static func start() throws -> ThrowawayPostgres {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vitrine-pg-\(UUID().uuidString.prefix(8).lowercased())").path
        let url = try run(["start", directory])
        return ThrowawayPostgres(url: url, directory: directory)
    }

    /// A new, empty database on this server; its URL.
    func makeDatabase() throws -> String {
        try Self.run(["createdb", directory, "t_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "_"))"])
    }

    func stop() {
        _ = try? Self.run(["stop", directory])
    }

    struct ScriptFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the script; its last line of output, or an error carrying what it said on stderr.
    private static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        // A hung script must fail the tests, not hang them.
        guard exited.wait(timeout: .now() + 120) == .success else {
            process.terminate()
            throw ScriptFailed(description: "\(script) \(arguments.joined(separator: " ")) did not finish in 120 s")
        }
        // Output is a line or two, far below a pipe's buffer, so reading after exit is safe.
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw ScriptFailed(description: "\(script) \(arguments.joined(separator: " ")) failed (exit \(process.terminationStatus)): \(err.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return out.split(separator: "\n").last.map(String.init) ?? ""
    }

    // MARK: - Sharing one server across suites

    /// The server (or why there is none) of the suite scope running now.
    @TaskLocal static var current: Result<ThrowawayPostgres, ScriptFailed>?

    /// A fresh database's URL on the current suite's server; throws (failing the test) when the
    /// server could not start or the suite lacks the `.throwawayPostgres` trait.
    static func database() throws -> String {
        guard let current else {
            throw ScriptFailed(description: "this suite needs the .throwawayPostgres trait")
        }
        return try current.get().makeDatabase()
    }

    /// Starts the server for the first suite that needs it and stops it after the last.
    actor Sharing {
        static let shared = Sharing()
        private var server: Result<ThrowawayPostgres, ScriptFailed>?
        private var users = 0

        func acquire() -> Result<ThrowawayPostgres, ScriptFailed> {
            users += 1
            if let server { return server }
            let started = Result { try ThrowawayPostgres.start() }.mapError { error in
                error as? ScriptFailed ?? ScriptFailed(description: "\(error)")
            }
            server = started
            return started
        }

        func release() {
            users -= 1
            guard users == 0, let server else { return }
            if case let .success(running) = server { running.stop() }
            self.server = nil
        }
    }
}

/// Gives a suite the shared throwaway server for as long as its tests run.
struct ThrowawayPostgresTrait: SuiteTrait, TestScoping {
    func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite ? self : nil
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = await ThrowawayPostgres.Sharing.shared.acquire()
        do {
            try await ThrowawayPostgres.$current.withValue(server) { try await function() }
        } catch {
            await ThrowawayPostgres.Sharing.shared.release()
            throw error
        }
        await ThrowawayPostgres.Sharing.shared.release()
    }
}

extension Trait where Self == ThrowawayPostgresTrait {
    static var throwawayPostgres: Self { Self() }
}
