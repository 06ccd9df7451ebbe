// The operator API under /v1 (bearer token), /metrics and the console page. `table` is the list
// of routes as docs/openapi.json spells them; the router is built from it, and OpenAPITests
// check the document against it, so the two cannot drift apart.
import Foundation
import Hummingbird
import VitrineOverlay
import VitrinePipeline
import VitrineStore

public struct ControlRoutes: Sendable {
    public struct Route: Sendable, Hashable {
        public var method: HTTPRequest.Method
        /// OpenAPI path, e.g. /v1/jobs/{id}.
        public var path: String
    }

    public static let table: [Route] = [
        Route(method: .get, path: "/v1/keys"), Route(method: .post, path: "/v1/keys"),
        Route(method: .delete, path: "/v1/keys/{key}"),
        Route(method: .get, path: "/v1/jobs"), Route(method: .post, path: "/v1/jobs"),
        Route(method: .get, path: "/v1/jobs/{id}"), Route(method: .delete, path: "/v1/jobs/{id}"),
        Route(method: .get, path: "/v1/jobs/{id}/cards"), Route(method: .post, path: "/v1/jobs/{id}/cards"),
        Route(method: .patch, path: "/v1/jobs/{id}/cards/{cardId}"), Route(method: .delete, path: "/v1/jobs/{id}/cards/{cardId}"),
        Route(method: .get, path: "/v1/jobs/{id}/report"), Route(method: .get, path: "/v1/jobs/{id}/clips"),
    ]

    let supervisor: JobSupervisor
    let keys: StreamKeyBook
    let token: APIToken
    /// Where publishers connect (read per request: the port is known once RTMP listens).
    let rtmpAddress: @Sendable () -> ListenAddress

    /// The origin's audience, for show reports (nil: reports without viewers).
    let viewers: ViewerCounter?

    public init(supervisor: JobSupervisor, keys: StreamKeyBook, token: APIToken, rtmpAddress: @escaping @Sendable () -> ListenAddress,
                viewers: ViewerCounter? = nil) {
        self.viewers = viewers
        self.supervisor = supervisor
        self.keys = keys
        self.token = token
        self.rtmpAddress = rtmpAddress
        bodies = BodyBudget(perRequest: supervisor.configuration.maxBodyBytes, total: supervisor.configuration.concurrentBodyBytes)
    }

    let bodies: BodyBudget

    /// Answers one API request; every failure becomes a JSON error.
    func handle(_ route: Route, _ request: Request, _ context: OriginRequestContext) async -> Response {
        guard token.accepts(authorization: request.headers[.authorization]) else {
            return APIError(.unauthorized, "missing or wrong API token: send Authorization: Bearer TOKEN").response
        }
        do {
            return try await answer(route, request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as CardControlError {
            switch error {
            case .invalid, .notStarted: return APIError.badRequest(error.description).response
            case .unknownCard: return APIError.notFound(error.description).response
            case .conflict: return APIError.conflict(error.description).response
            case .tooLarge: return APIError(.contentTooLarge, error.description, field: "image").response
            }
        } catch {
            return APIError(.internalServerError, "\(error)").response
        }
    }

    private func answer(_ route: Route, _ request: Request, _ context: OriginRequestContext) async throws -> Response {
        let parameter = { (name: String) in context.parameters.get(name) ?? "" }
        switch (route.method, route.path) {
        case (.get, "/v1/keys"):
            return JSONBody.response(.ok, ["keys": keys.all.map { keyView($0, request) }])
        case (.post, "/v1/keys"):
            let entry = try keys.create()
            supervisor.ingest.addKey(entry.key, playbackID: entry.playbackID)
            return JSONBody.response(.created, keyView(entry, request))
        case (.delete, "/v1/keys/{key}"):
            let key = parameter("key")
            guard try keys.remove(key) else { throw APIError.notFound("no stream key like that") }
            if let job = supervisor.ingest.removeKey(key) { try await supervisor.cancel(jobID: job.id) }
            return Response(status: .noContent)
        case (.get, "/v1/jobs"):
            let query = request.uri.queryParameters
            let limit = try query.get("limit").map { text -> Int in
                guard let n = Int(text), (1...1000).contains(n) else { throw APIError.badRequest("limit: 1 to 1000", field: "limit") }
                return n
            } ?? 100
            let state = try query.get("state").map { text -> JobState in
                guard let state = JobState(rawValue: text) else {
                    throw APIError.badRequest("state: one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))", field: "state")
                }
                return state
            }
            let records = try await supervisor.store.jobs(queue: nil)
                .filter { ($0.queue == JobSupervisor.fileQueue || $0.queue == JobSupervisor.liveQueue) && (state == nil || $0.state == state) }
            return JSONBody.response(.ok, ["jobs": records.reversed().prefix(limit).map { JobView.make($0, figures: supervisor.liveFigures(jobID: $0.id)) }])
        case (.post, "/v1/jobs"):
            let body = try await JSONBody.object(request, within: bodies)
            let record = body["streamKey"] != nil && body["input"] == nil
                ? try await supervisor.submitLive(body: body, keys: keys)
                : try await supervisor.submitFile(body: body)
            return JSONBody.response(.created, JobView.make(record, figures: nil))
        case (.get, "/v1/jobs/{id}"):
            let record = try await job(parameter("id"))
            return JSONBody.response(.ok, JobView.make(record, figures: supervisor.liveFigures(jobID: record.id)))
        case (.delete, "/v1/jobs/{id}"):
            try await supervisor.cancel(jobID: parameter("id"))
            return Response(status: .accepted)
        case (.get, "/v1/jobs/{id}/cards"):
            let control = try await cards(parameter("id"))
            return JSONBody.response(.ok, ["cards": try await control.listCards()])
        case (.post, "/v1/jobs/{id}/cards"):
            let control = try await cards(parameter("id"))
            var body = try await JSONBody.object(request, within: bodies)
            let upload = try await CardImageUpload.store(&body, in: supervisor.imagesDirectory)
            do {
                try Self.checkTextBudget(body)
                return JSONBody.response(.created, try await control.pushCard(body))
            } catch {
                upload?.discard()
                throw error
            }
        case (.patch, "/v1/jobs/{id}/cards/{cardId}"):
            let control = try await cards(parameter("id"))
            var body = try await JSONBody.object(request, within: bodies)
            let upload = try await CardImageUpload.store(&body, in: supervisor.imagesDirectory)
            do {
                try Self.checkTextBudget(body)
                return JSONBody.response(.ok, try await control.updateCard(id: parameter("cardId"), patch: body))
            } catch {
                upload?.discard()
                throw error
            }
        case (.delete, "/v1/jobs/{id}/cards/{cardId}"):
            let control = try await cards(parameter("id"))
            try await control.hideCard(id: parameter("cardId"))
            return Response(status: .noContent)
        case (.get, "/v1/jobs/{id}/report"):
            return try await report(try await job(parameter("id")), request)
        case (.get, "/v1/jobs/{id}/clips"):
            return try await clips(try await job(parameter("id")))
        default:
            throw APIError.notFound("no route \(route.method) \(route.path)")
        }
    }

    func job(_ id: String) async throws -> JobRecord {
        guard let record = try await supervisor.store.job(id: id) else { throw APIError.notFound("no job \(id)") }
        return record
    }

    /// The card control of a running job: 404 for an unknown id, 409 for a job that is not running.
    private func cards(_ id: String) async throws -> any CardCommands {
        if let control = supervisor.cardControl(jobID: id) { return control }
        let record = try await job(id)
        throw APIError.conflict("job \(id) is \(record.state.rawValue), not running here: cards change only on a running job")
    }

    private func keyView(_ entry: StreamKeyBook.Entry, _ request: Request) -> [String: Any] {
        // The publisher needs a host it can reach: the one this request came to when RTMP
        // listens on every interface.
        let rtmpAddress = rtmpAddress()
        var host = rtmpAddress.host
        if host == "0.0.0.0" || host == "::" {
            let authority = request.head.authority ?? "127.0.0.1"
            host = authority.split(separator: ":").first.map(String.init) ?? "127.0.0.1"
        }
        return ["key": entry.key, "rtmpUrl": "rtmp://\(host):\(rtmpAddress.port)/live/\(entry.key)",
                "playbackId": entry.playbackID, "playbackUrl": "/hls/\(entry.playbackID)/master.m3u8"]
    }

    /// Text that would cost more than it says (bytes, combining marks) is refused here, before
    /// the job process that renders it ever sees it.
    static func checkTextBudget(_ body: [String: Any]) throws {
        do { try TextBudget.checkStrings(in: body) } catch {
            throw APIError.badRequest(error.description, field: error.unlocatedFieldPath)
        }
    }
}
