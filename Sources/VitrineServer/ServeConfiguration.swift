// Everything `vitrine serve` can be told, with the defaults that make a bare `vitrine serve` work
// on a laptop: HTTP on 127.0.0.1:8080, RTMP on every interface at 1935 (publishers are other
// machines; the stream key is the guard), data in ./vitrine-data. A JSON config file overrides the
// defaults, environment variables override the file, and command-line flags override both.
// docs/configuration.md lists every field; ServeConfigurationTests keep that page true.
import Foundation
import Logging
import VitrinePipeline

public struct ServeConfiguration: Codable, Equatable, Sendable {
    /// HOST:PORT of the HLS origin, the /v1 API, /metrics and /console.
    public var http = "127.0.0.1:8080"
    /// HOST:PORT the RTMP ingest listens on.
    public var rtmp = "0.0.0.0:1935"
    /// keys.json, api-token, viewer-secret, vitrine.sqlite, hls/, recordings/, images/.
    public var dataDirectory = "vitrine-data"
    /// Job records: nil keeps them in DATA/vitrine.sqlite; a postgres:// URL shares one queue and
    /// one job list between several workers.
    public var database: String?
    /// Folders file jobs may read from (POST /v1/jobs); empty: DATA/inputs only.
    public var inputDirectories: [String] = []
    /// Live and file jobs running at once; more are refused (HTTP 429, RTMP BadConnection).
    public var maxJobs = 4
    /// Largest request body the API reads, in bytes (card images travel inside it).
    public var maxBodyBytes = 20 * 1024 * 1024
    /// The API bearer token; nil: generated at first start and kept in DATA/api-token.
    public var apiToken: String?
    /// Stream keys allowed to publish besides those created through the API.
    public var streamKeys: [String] = []
    /// Default ladder as SIZE:BITRATE pairs; nil: from each source's picture size.
    public var ladder: String?
    public var segmentDuration = 2.0
    public var preset = "veryfast"
    /// Segments in each live playlist.
    public var listSize = 6
    /// Live segments: "fmp4" (CMAF, EXT-X-MAP), which LL-HLS parts need, or "ts" for players
    /// that know no fMP4.
    public var liveFormat = "fmp4"
    /// LL-HLS: fMP4 live segments cut into parts of about this many seconds (0.2 to 1.0), listed
    /// with blocking reloads and served from memory; 0: whole segments only. TS has no parts.
    public var partTargetSeconds = 0.333
    /// x264's share of the delay for live jobs: "normal", or "low" (sliced threads, short
    /// lookahead, no B-frames); a key-bound job may ask its own.
    public var latency = "normal"
    /// Seconds a dropped publisher has to come back before its playlists end.
    public var graceSeconds = 10.0
    /// Keep every publish's source as received, in DATA/recordings.
    public var record = false
    /// Cards file burned into every live job (docs/cards.md).
    public var cards: String?
    /// An HTTP connection with no traffic for this long is closed (a client that opens
    /// connections and sends nothing cannot hold them).
    public var httpIdleTimeoutSeconds = 30.0
    /// A connection must deliver a whole request head this soon after it opens or after its
    /// last response (a client trickling header bytes would keep the idle timer from firing).
    public var httpHeaderTimeoutSeconds = 10.0
    /// HTTP connections open at once; past it new ones wait in the listen backlog (logged).
    public var httpMaxConnections = 4096
    /// HTTP connections open at once from one address (an IPv4 address, an IPv6 /64); past it a
    /// new one is closed at once (logged), so one client cannot take every slot.
    public var httpMaxConnectionsPerAddress = 64
    /// A response the client takes nothing of for this long is cut off (its connection closed).
    public var httpWriteTimeoutSeconds = 10.0
    /// New viewer tokens handed to one address (as above) per minute; past it the master
    /// playlist is served without one, and that player is not counted as a viewer.
    public var viewerTokensPerAddressPerMinute = 60
    /// Bytes of request bodies being read at once, across all requests; past it a request
    /// gets 503 with Retry-After instead of another maxBodyBytes of memory.
    public var concurrentBodyBytes = 80 * 1024 * 1024
    /// RTMP connections open at once, in all and from one address (each refusal is logged).
    public var rtmpMaxConnections = 1000
    public var rtmpMaxConnectionsPerAddress = 32
    /// MiB of memory each job process may use (RLIMIT_DATA); nil: three quarters of the
    /// machine's memory shared by maxJobs, 1 to 16 GiB each.
    public var jobMemoryMiB: Int?
    /// A file job whose frames stop advancing for this long is killed and counted as a crash.
    public var jobWatchdogSeconds = 60.0
    /// MiB of memory-served HLS one live show may hold in serve; past it its files are served
    /// from disk (a bound on what a job process can make serve keep).
    public var hlsMemoryBudgetMiB = 64
    public var logLevel = "info"
    /// "text" for people, "json" (one object per line) for log collectors.
    public var logFormat = "text"

    public init() {}

    /// The environment variable for each field, e.g. VITRINE_MAX_JOBS for maxJobs.
    public static let environmentNames: [String: String] = [
        "http": "VITRINE_HTTP", "rtmp": "VITRINE_RTMP", "dataDirectory": "VITRINE_DATA", "database": "VITRINE_DATABASE",
        "inputDirectories": "VITRINE_INPUT_DIRS", "maxJobs": "VITRINE_MAX_JOBS", "maxBodyBytes": "VITRINE_MAX_BODY_BYTES",
        "apiToken": "VITRINE_API_TOKEN", "streamKeys": "VITRINE_STREAM_KEYS", "ladder": "VITRINE_LADDER",
        "segmentDuration": "VITRINE_SEGMENT_DURATION", "preset": "VITRINE_PRESET", "listSize": "VITRINE_LIST_SIZE",
        "liveFormat": "VITRINE_LIVE_FORMAT", "partTargetSeconds": "VITRINE_PART_TARGET_SECONDS", "latency": "VITRINE_LATENCY",
        "graceSeconds": "VITRINE_GRACE_SECONDS", "record": "VITRINE_RECORD", "cards": "VITRINE_CARDS",
        "logLevel": "VITRINE_LOG_LEVEL", "logFormat": "VITRINE_LOG_FORMAT",
        "jobMemoryMiB": "VITRINE_JOB_MEMORY_MIB", "jobWatchdogSeconds": "VITRINE_JOB_WATCHDOG_SECONDS",
        "hlsMemoryBudgetMiB": "VITRINE_HLS_MEMORY_BUDGET_MIB",
        "httpIdleTimeoutSeconds": "VITRINE_HTTP_IDLE_TIMEOUT_SECONDS", "httpHeaderTimeoutSeconds": "VITRINE_HTTP_HEADER_TIMEOUT_SECONDS",
        "httpMaxConnections": "VITRINE_HTTP_MAX_CONNECTIONS", "httpMaxConnectionsPerAddress": "VITRINE_HTTP_MAX_PER_ADDRESS",
        "httpWriteTimeoutSeconds": "VITRINE_HTTP_WRITE_TIMEOUT_SECONDS", "viewerTokensPerAddressPerMinute": "VITRINE_VIEWER_TOKENS_PER_MINUTE",
        "concurrentBodyBytes": "VITRINE_CONCURRENT_BODY_BYTES",
        "rtmpMaxConnections": "VITRINE_RTMP_MAX_CONNECTIONS", "rtmpMaxConnectionsPerAddress": "VITRINE_RTMP_MAX_PER_ADDRESS",
    ]

    /// Defaults, then `file` (JSON) if given, then the environment.
    public static func load(file: String?, environment: [String: String]) throws -> ServeConfiguration {
        var configuration = ServeConfiguration()
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ConfigurationError("config file \(file): cannot read it")
            }
            do {
                configuration = try JSONDecoder().decode(ServeConfiguration.self, from: data)
            } catch let error as DecodingError {
                throw ConfigurationError("config file \(file): \(Self.describe(error))")
            } catch {
                throw ConfigurationError("config file \(file): not JSON: \(error.localizedDescription)")
            }
        }
        try configuration.apply(environment: environment)
        return configuration
    }

    /// Overrides fields from VITRINE_* variables; lists are separated by ":" (folders) or ",".
    mutating func apply(environment: [String: String]) throws {
        func value(_ field: String) -> String? { Self.environmentNames[field].flatMap { environment[$0] } }
        func number<T: LosslessStringConvertible>(_ field: String, _ type: T.Type) throws -> T? {
            guard let text = value(field) else { return nil }
            guard let parsed = T(text) else { throw ConfigurationError("\(Self.environmentNames[field]!)=\(text): expected a number") }
            return parsed
        }
        if let v = value("http") { http = v }
        if let v = value("rtmp") { rtmp = v }
        if let v = value("dataDirectory") { dataDirectory = v }
        if let v = value("database") { database = v }
        if let v = value("inputDirectories") { inputDirectories = v.split(separator: ":").map(String.init) }
        if let v = try number("maxJobs", Int.self) { maxJobs = v }
        if let v = try number("maxBodyBytes", Int.self) { maxBodyBytes = v }
        if let v = value("apiToken") { apiToken = v }
        if let v = value("streamKeys") { streamKeys = v.split(separator: ",").map(String.init) }
        if let v = value("ladder") { ladder = v }
        if let v = try number("segmentDuration", Double.self) { segmentDuration = v }
        if let v = value("preset") { preset = v }
        if let v = try number("listSize", Int.self) { listSize = v }
        if let v = value("liveFormat") { liveFormat = v }
        if let v = value("latency") { latency = v }
        if let v = try number("partTargetSeconds", Double.self) { partTargetSeconds = v }
        if let v = try number("graceSeconds", Double.self) { graceSeconds = v }
        if let v = value("record") {
            guard let flag = ["1": true, "true": true, "yes": true, "0": false, "false": false, "no": false][v.lowercased()] else {
                throw ConfigurationError("VITRINE_RECORD=\(v): expected true or false")
            }
            record = flag
        }
        if let v = value("cards") { cards = v }
        if let v = try number("httpIdleTimeoutSeconds", Double.self) { httpIdleTimeoutSeconds = v }
        if let v = try number("httpHeaderTimeoutSeconds", Double.self) { httpHeaderTimeoutSeconds = v }
        if let v = try number("httpMaxConnections", Int.self) { httpMaxConnections = v }
        if let v = try number("httpMaxConnectionsPerAddress", Int.self) { httpMaxConnectionsPerAddress = v }
        if let v = try number("httpWriteTimeoutSeconds", Double.self) { httpWriteTimeoutSeconds = v }
        if let v = try number("viewerTokensPerAddressPerMinute", Int.self) { viewerTokensPerAddressPerMinute = v }
        if let v = try number("concurrentBodyBytes", Int.self) { concurrentBodyBytes = v }
        if let v = try number("rtmpMaxConnections", Int.self) { rtmpMaxConnections = v }
        if let v = try number("rtmpMaxConnectionsPerAddress", Int.self) { rtmpMaxConnectionsPerAddress = v }
        if let v = try number("jobMemoryMiB", Int.self) { jobMemoryMiB = v }
        if let v = try number("jobWatchdogSeconds", Double.self) { jobWatchdogSeconds = v }
        if let v = try number("hlsMemoryBudgetMiB", Int.self) { hlsMemoryBudgetMiB = v }
        if let v = value("logLevel") { logLevel = v }
        if let v = value("logFormat") { logFormat = v }
    }

    /// Checks what decoding cannot: ranges and formats, naming the field.
    public func validate() throws {
        guard (1...1000).contains(maxJobs) else { throw ConfigurationError("maxJobs \(maxJobs): expected 1 to 1000") }
        guard (1024...(1 << 30)).contains(maxBodyBytes) else { throw ConfigurationError("maxBodyBytes \(maxBodyBytes): expected 1 KiB to 1 GiB") }
        guard (maxBodyBytes...(1 << 34)).contains(concurrentBodyBytes) else {
            throw ConfigurationError("concurrentBodyBytes \(concurrentBodyBytes): expected maxBodyBytes (\(maxBodyBytes)) to 16 GiB")
        }
        guard httpHeaderTimeoutSeconds.isFinite, (0.5...600).contains(httpHeaderTimeoutSeconds) else {
            throw ConfigurationError("httpHeaderTimeoutSeconds \(httpHeaderTimeoutSeconds): expected 0.5 to 600 seconds")
        }
        guard (1...1_000_000).contains(httpMaxConnections) else {
            throw ConfigurationError("httpMaxConnections \(httpMaxConnections): expected 1 to 1000000")
        }
        // Above httpMaxConnections it is the global cap that binds (lowering that one alone is fine).
        guard (1...1_000_000).contains(httpMaxConnectionsPerAddress) else {
            throw ConfigurationError("httpMaxConnectionsPerAddress \(httpMaxConnectionsPerAddress): expected 1 to 1000000")
        }
        guard httpWriteTimeoutSeconds.isFinite, (1...3600).contains(httpWriteTimeoutSeconds) else {
            throw ConfigurationError("httpWriteTimeoutSeconds \(httpWriteTimeoutSeconds): expected 1 to 3600 seconds")
        }
        guard (0...1_000_000).contains(viewerTokensPerAddressPerMinute) else {
            throw ConfigurationError("viewerTokensPerAddressPerMinute \(viewerTokensPerAddressPerMinute): expected 0 to 1000000")
        }
        guard ["text", "json"].contains(logFormat) else { throw ConfigurationError("logFormat \(logFormat): expected text or json") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ConfigurationError("logLevel \(logLevel): expected trace, debug, info, notice, warning or error")
        }
        guard segmentDuration.isFinite, (1...10).contains(segmentDuration) else {
            throw ConfigurationError("segmentDuration \(segmentDuration): expected 1 to 10 seconds")
        }
        guard TranscodeSettings.presets.contains(preset) else {
            throw ConfigurationError("preset \(preset): expected one of \(TranscodeSettings.presets.joined(separator: ", "))")
        }
        guard (2...100).contains(listSize) else { throw ConfigurationError("listSize \(listSize): expected 2 to 100") }
        guard ["normal", "low"].contains(latency) else { throw ConfigurationError("latency \(latency): expected normal or low") }
        guard ["ts", "fmp4"].contains(liveFormat) else { throw ConfigurationError("liveFormat \(liveFormat): expected ts or fmp4") }
        guard partTargetSeconds.isFinite, partTargetSeconds == 0 || (0.2...1.0).contains(partTargetSeconds) else {
            throw ConfigurationError("partTargetSeconds \(partTargetSeconds): expected 0 (no parts) or 0.2 to 1.0 seconds")
        }
        guard graceSeconds.isFinite, (0...3600).contains(graceSeconds) else {
            throw ConfigurationError("graceSeconds \(graceSeconds): expected 0 to 3600 seconds")
        }
        guard httpIdleTimeoutSeconds.isFinite, (1...3600).contains(httpIdleTimeoutSeconds) else {
            throw ConfigurationError("httpIdleTimeoutSeconds \(httpIdleTimeoutSeconds): expected 1 to 3600 seconds")
        }
        guard (1...100_000).contains(rtmpMaxConnections) else {
            throw ConfigurationError("rtmpMaxConnections \(rtmpMaxConnections): expected 1 to 100000")
        }
        guard (1...rtmpMaxConnections).contains(rtmpMaxConnectionsPerAddress) else {
            throw ConfigurationError("rtmpMaxConnectionsPerAddress \(rtmpMaxConnectionsPerAddress): expected 1 to rtmpMaxConnections")
        }
        if let jobMemoryMiB, !(256...(1 << 20)).contains(jobMemoryMiB) {
            throw ConfigurationError("jobMemoryMiB \(jobMemoryMiB): expected 256 MiB to 1 TiB")
        }
        guard jobWatchdogSeconds.isFinite, (5...3600).contains(jobWatchdogSeconds) else {
            throw ConfigurationError("jobWatchdogSeconds \(jobWatchdogSeconds): expected 5 to 3600 seconds")
        }
        guard (8...4096).contains(hlsMemoryBudgetMiB) else {
            throw ConfigurationError("hlsMemoryBudgetMiB \(hlsMemoryBudgetMiB): expected 8 to 4096 MiB")
        }
        if let ladder {
            do { _ = try Ladder.parse(ladder) } catch { throw ConfigurationError("ladder: \(error)") }
        }
        if let apiToken, apiToken.utf8.count < 16 {
            throw ConfigurationError("apiToken: at least 16 characters (a short token is guessable)")
        }
        if let database, !(database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")) {
            throw ConfigurationError("database: expected a postgres:// URL (or nothing, for DATA/vitrine.sqlite)")
        }
        _ = try ListenAddress(http, field: "http")
        _ = try ListenAddress(rtmp, field: "rtmp")
    }

    /// Fields missing from the file keep their defaults (a config file names only what it changes).
    public init(from decoder: Decoder) throws {
        let defaults = ServeConfiguration()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let unknown = Set(try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue))
            .subtracting(CodingKeys.allCases.map(\.rawValue))
        if let field = unknown.sorted().first {
            throw DecodingError.dataCorrupted(.init(codingPath: [AnyKey(stringValue: field)!], debugDescription: "unknown field (see docs/configuration.md)"))
        }
        http = try c.decodeIfPresent(String.self, forKey: .http) ?? defaults.http
        rtmp = try c.decodeIfPresent(String.self, forKey: .rtmp) ?? defaults.rtmp
        dataDirectory = try c.decodeIfPresent(String.self, forKey: .dataDirectory) ?? defaults.dataDirectory
        database = try c.decodeIfPresent(String.self, forKey: .database)
        inputDirectories = try c.decodeIfPresent([String].self, forKey: .inputDirectories) ?? defaults.inputDirectories
        maxJobs = try c.decodeIfPresent(Int.self, forKey: .maxJobs) ?? defaults.maxJobs
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? defaults.maxBodyBytes
        apiToken = try c.decodeIfPresent(String.self, forKey: .apiToken)
        streamKeys = try c.decodeIfPresent([String].self, forKey: .streamKeys) ?? defaults.streamKeys
        ladder = try c.decodeIfPresent(String.self, forKey: .ladder)
        segmentDuration = try c.decodeIfPresent(Double.self, forKey: .segmentDuration) ?? defaults.segmentDuration
        preset = try c.decodeIfPresent(String.self, forKey: .preset) ?? defaults.preset
        listSize = try c.decodeIfPresent(Int.self, forKey: .listSize) ?? defaults.listSize
        liveFormat = try c.decodeIfPresent(String.self, forKey: .liveFormat) ?? defaults.liveFormat
        partTargetSeconds = try c.decodeIfPresent(Double.self, forKey: .partTargetSeconds) ?? defaults.partTargetSeconds
        latency = try c.decodeIfPresent(String.self, forKey: .latency) ?? defaults.latency
        graceSeconds = try c.decodeIfPresent(Double.self, forKey: .graceSeconds) ?? defaults.graceSeconds
        record = try c.decodeIfPresent(Bool.self, forKey: .record) ?? defaults.record
        cards = try c.decodeIfPresent(String.self, forKey: .cards)
        httpIdleTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .httpIdleTimeoutSeconds) ?? defaults.httpIdleTimeoutSeconds
        httpHeaderTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .httpHeaderTimeoutSeconds) ?? defaults.httpHeaderTimeoutSeconds
        httpMaxConnections = try c.decodeIfPresent(Int.self, forKey: .httpMaxConnections) ?? defaults.httpMaxConnections
        httpMaxConnectionsPerAddress = try c.decodeIfPresent(Int.self, forKey: .httpMaxConnectionsPerAddress) ?? defaults.httpMaxConnectionsPerAddress
        httpWriteTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .httpWriteTimeoutSeconds) ?? defaults.httpWriteTimeoutSeconds
        viewerTokensPerAddressPerMinute = try c.decodeIfPresent(Int.self, forKey: .viewerTokensPerAddressPerMinute)
            ?? defaults.viewerTokensPerAddressPerMinute
        concurrentBodyBytes = try c.decodeIfPresent(Int.self, forKey: .concurrentBodyBytes) ?? defaults.concurrentBodyBytes
        rtmpMaxConnections = try c.decodeIfPresent(Int.self, forKey: .rtmpMaxConnections) ?? defaults.rtmpMaxConnections
        rtmpMaxConnectionsPerAddress = try c.decodeIfPresent(Int.self, forKey: .rtmpMaxConnectionsPerAddress) ?? defaults.rtmpMaxConnectionsPerAddress
        jobMemoryMiB = try c.decodeIfPresent(Int.self, forKey: .jobMemoryMiB)
        jobWatchdogSeconds = try c.decodeIfPresent(Double.self, forKey: .jobWatchdogSeconds) ?? defaults.jobWatchdogSeconds
        hlsMemoryBudgetMiB = try c.decodeIfPresent(Int.self, forKey: .hlsMemoryBudgetMiB) ?? defaults.hlsMemoryBudgetMiB
        logLevel = try c.decodeIfPresent(String.self, forKey: .logLevel) ?? defaults.logLevel
        logFormat = try c.decodeIfPresent(String.self, forKey: .logFormat) ?? defaults.logFormat
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case http, rtmp, dataDirectory, database, inputDirectories, maxJobs, maxBodyBytes, apiToken, streamKeys, ladder
        case segmentDuration, preset, listSize, liveFormat, partTargetSeconds, latency, graceSeconds, record, cards, httpIdleTimeoutSeconds, rtmpMaxConnections
        case rtmpMaxConnectionsPerAddress, httpHeaderTimeoutSeconds, httpMaxConnections, concurrentBodyBytes
        case httpMaxConnectionsPerAddress, httpWriteTimeoutSeconds, viewerTokensPerAddressPerMinute
        case jobMemoryMiB, jobWatchdogSeconds, hlsMemoryBudgetMiB, logLevel, logFormat
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String { c.codingPath.map(\.stringValue).joined(separator: ".") }
        switch error {
        case let .typeMismatch(type, c): return "\(path(c)): expected \(type)"
        case let .valueNotFound(type, c): return "\(path(c)): expected \(type), got null"
        case let .keyNotFound(key, _): return "\(key.stringValue): required"
        case let .dataCorrupted(c): return c.codingPath.isEmpty ? "not valid JSON" : "\(path(c)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// HOST:PORT, checked.
public struct ListenAddress: Equatable, Sendable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(_ text: String, field: String) throws {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
              let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ConfigurationError("\(field) \(text): expected HOST:PORT such as 127.0.0.1:\(field == "rtmp" ? 1935 : 8080)")
        }
        host = String(text[..<colon])
        self.port = port
    }
}
