// ViewerPresence.swift - one playback session's presence at the origin: the spans of time it was
// fetching the stream. A viewer is present from a request until `linger` after its last one; a
// longer silence ends the span (the player stopped, or the viewer left).
import Foundation

public struct ViewerPresence: Codable, Sendable, Equatable {
    public var session: String
    public var spans: [Span]

    public struct Span: Codable, Sendable, Equatable {
        public var from: Date
        /// The last request of the span (presence runs `linger` beyond it).
        public var to: Date
    }

    /// Players reload a live playlist every target duration (2 s here) or faster (LL-HLS parts):
    /// three reloads missed means the player has stopped.
    public static let linger: TimeInterval = 6

    /// Spans a session keeps: a viewer who comes and goes more often than this is folded into
    /// their last span (bounded memory per viewer).
    public static let maxSpans = 64

    public init(session: String, spans: [Span] = []) {
        self.session = session
        self.spans = spans
    }

    /// Records a request at `date`: extends the last span, or starts a new one after a silence.
    public mutating func saw(at date: Date) {
        if var last = spans.last, date.timeIntervalSince(last.to) <= Self.linger || spans.count >= Self.maxSpans {
            last.to = max(last.to, date)
            spans[spans.count - 1] = last
        } else {
            spans.append(Span(from: date, to: date))
        }
    }

    /// True when the session counts as a viewer at `date`.
    public func isPresent(at date: Date) -> Bool {
        spans.contains { $0.from <= date && date <= $0.to.addingTimeInterval(Self.linger) }
    }

    /// The words the report carries about how viewers are recognised.
    public static let definition = """
        A viewer is one playback session: the master playlist hands each player a session token \
        (vs=...) in its variant URIs, signed by this server for that stream, so every media \
        playlist reload carries it. Only media playlist requests with a valid token, for a stream \
        this origin has, count: a request without a token, with a made-up one or with another \
        stream's is not a viewer. One address (an IPv4 address, an IPv6 /64) is handed a bounded \
        number of new tokens a minute (viewerTokensPerAddressPerMinute, 60 by default); a player \
        past it gets the master without a token and is not counted. A session counts from its \
        first media playlist request until 6 s after its last. Counted at this origin: behind a \
        CDN that caches the master playlist, viewers share tokens and are undercounted.
        """
}
