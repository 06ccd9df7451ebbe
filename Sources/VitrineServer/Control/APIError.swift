// Every refusal of the control API as JSON: {"error": {"status": 400, "message": "...",
// "field": "ladder"}}. The message says what is wrong in words an operator can act on; `field`
// names the offending body field when there is one.
import Foundation
import Hummingbird

public struct APIError: Error, CustomStringConvertible, Equatable {
    public var status: HTTPResponse.Status
    public var message: String
    public var field: String?

    public init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) {
        self.status = status
        self.message = message
        self.field = field
    }

    public var description: String { "\(status.code) \(message)" }

    static func badRequest(_ message: String, field: String? = nil) -> APIError { APIError(.badRequest, message, field: field) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
    static func conflict(_ message: String) -> APIError { APIError(.conflict, message) }

    var response: Response {
        var error: [String: Any] = ["status": Int(status.code), "message": message]
        if let field { error["field"] = field }
        var response = JSONBody.response(status, ["error": error])
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"vitrine\"" }
        if status == .serviceUnavailable { response.headers[.retryAfter] = "1" }
        return response
    }
}

/// JSON in and out of the API.
enum JSONBody {
    static func response(_ status: HTTPResponse.Status, _ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The request body as a JSON object, or a 400/413 naming what is wrong.
    static func object(_ request: Request, within budget: BodyBudget) async throws -> [String: Any] {
        let buffer = try await budget.collect(request)
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("request body is empty; expected a JSON object") }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
        } catch {
            throw APIError.badRequest("request body is not valid JSON")
        }
        guard let object = json as? [String: Any] else { throw APIError.badRequest("request body must be a JSON object") }
        return object
    }

    /// Seconds since 1970 as an RFC 3339 string, or NSNull.
    static func date(_ date: Date?) -> Any {
        guard let date else { return NSNull() }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
