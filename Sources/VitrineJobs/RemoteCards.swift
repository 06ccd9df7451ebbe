// Card commands across the process boundary. The supervisor's API hands an operator's request to
// RemoteCardControl, which sends it to the job process and waits for the reply; the job process
// runs it on its own CardControl (`CardRequest.perform`) and answers with the API object or the
// CardControlError, so the API answers exactly as for a job in its own process.
import Foundation
import VitrinePipeline

public struct CardRequest: Codable, Sendable, Equatable {
    public enum Operation: String, Codable, Sendable { case list, push, update, hide }
    /// Pairs the reply with the request.
    public var sequence: Int
    public var operation: Operation
    public var cardID: String?
    /// The request body as JSON text.
    public var body: String?
}

public struct CardReply: Codable, Sendable, Equatable {
    public var sequence: Int
    /// The answer as JSON text (an object, or an array for `list`); nil for `hide`.
    public var result: String?
    public var error: CardControlError?
}

extension CardRequest {
    /// Runs the request on the job's cards (the job process's side).
    public func perform(on control: CardControl) -> CardReply {
        do {
            let object = try body.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any] ?? [:]
            let answer: Any?
            switch operation {
            case .list: answer = try control.cards().map(CardControl.view)
            case .push: answer = try CardControl.view((try control.push(object), nil, true))
            case .update: answer = try CardControl.view((try control.update(id: cardID ?? "", patch: object), nil, true))
            case .hide:
                try control.hide(id: cardID ?? "")
                answer = nil
            }
            let text = try answer.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
            return CardReply(sequence: sequence, result: text, error: nil)
        } catch let error as CardControlError {
            return CardReply(sequence: sequence, result: nil, error: error)
        } catch {
            return CardReply(sequence: sequence, result: nil, error: .invalid("\(error)"))
        }
    }
}

/// The supervisor's side: CardCommands of a job running in a job process.
public final class RemoteCardControl: CardCommands, @unchecked Sendable {
    /// A job process answers at once; past this the job is stuck and the watchdog will act.
    static let replyTimeout: TimeInterval = 5
    /// Requests written or waiting to be: past this the job is not taking commands, and more
    /// would only pile up behind its full pipe.
    static let maxOutstanding = 8
    private let send: @Sendable (ToJob) throws -> Void
    /// Writes to the job's pipe happen here, never on the caller's thread: a stuck child's full
    /// pipe would block a Swift concurrency thread (and every HTTP answer with it).
    private let outbox = DispatchQueue(label: "vitrine.cards.outbox")
    private let lock = NSLock()
    private var outstanding = 0
    private var nextSequence = 0
    private var waiting: [Int: CheckedContinuation<CardReply, Never>] = [:]
    private var closed = false

    init(send: @escaping @Sendable (ToJob) throws -> Void) { self.send = send }

    public func listCards() async throws -> [[String: Any]] {
        try await call(.list, nil, nil) as? [[String: Any]] ?? []
    }

    public func pushCard(_ body: [String: Any]) async throws -> [String: Any] {
        try await call(.push, nil, body) as? [String: Any] ?? [:]
    }

    public func updateCard(id: String, patch: [String: Any]) async throws -> [String: Any] {
        try await call(.update, id, patch) as? [String: Any] ?? [:]
    }

    public func hideCard(id: String) async throws {
        _ = try await call(.hide, id, nil)
    }

    /// A reply from the job process.
    func deliver(_ reply: CardReply) {
        let continuation = lock.withLock { waiting.removeValue(forKey: reply.sequence) }
        continuation?.resume(returning: reply)
    }

    /// The job process died and another takes over: requests waiting on the dead one fail.
    func failWaiting() {
        let all = lock.withLock { () -> [CheckedContinuation<CardReply, Never>] in
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        for continuation in all {
            continuation.resume(returning: CardReply(sequence: -1, result: nil, error: .conflict("the job's process restarted; try again")))
        }
    }

    /// The job process is gone: every waiting request fails, and new ones at once.
    func close() {
        let all = lock.withLock { () -> [CheckedContinuation<CardReply, Never>] in
            closed = true
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        for continuation in all { continuation.resume(returning: Self.ended(-1)) }
    }

    private static func ended(_ sequence: Int) -> CardReply {
        CardReply(sequence: sequence, result: nil, error: .conflict("the job ended; cards change only on a running job"))
    }

    private func call(_ operation: CardRequest.Operation, _ cardID: String?, _ body: [String: Any]?) async throws -> Any? {
        let text = try body.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let sequence = lock.withLock { () -> Int in
            nextSequence += 1
            return nextSequence
        }
        let reply = await withCheckedContinuation { (continuation: CheckedContinuation<CardReply, Never>) in
            let refusal = lock.withLock { () -> CardReply? in
                guard !closed else { return Self.ended(sequence) }
                guard outstanding < Self.maxOutstanding else {
                    return CardReply(sequence: sequence, result: nil,
                                     error: .conflict("the job is not taking card commands (\(Self.maxOutstanding) still unsent); try again"))
                }
                outstanding += 1
                waiting[sequence] = continuation
                return nil
            }
            if let refusal { return continuation.resume(returning: refusal) }
            let request = ToJob.card(CardRequest(sequence: sequence, operation: operation, cardID: cardID, body: text))
            outbox.async { [self] in
                defer { lock.withLock { outstanding -= 1 } }
                do { try send(request) } catch { deliver(Self.ended(sequence)) }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.replyTimeout) { [weak self] in
                self?.deliver(CardReply(sequence: sequence, result: nil, error: .conflict("the job did not answer within \(Int(Self.replyTimeout)) s")))
            }
        }
        if let error = reply.error { throw error }
        return try reply.result.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) }
    }
}

/// Whatever sends messages to a job process (file or live).
protocol JobMessageSender: AnyObject {
    func send(_ message: ToJob) throws
}

/// Lets a card proxy, made in its owner's init before the owner exists, send through it.
final class WeakJobSender: @unchecked Sendable {
    weak var owner: (any JobMessageSender)?

    func send(_ message: ToJob) throws {
        guard let owner else { throw JobWireError.closed }
        try owner.send(message)
    }
}
