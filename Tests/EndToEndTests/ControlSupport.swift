// The control API from the tests' side: curl with the test token against a LiveServer, JSON in
// and out.
import Foundation
import Testing

struct APIResponse {
    var status: Int
    var json: [String: Any]
    var raw: CurlResponse
}

extension LiveServer {
    var base: String { "http://127.0.0.1:\(httpPort)" }

    /// One API call; `token` nil sends none.
    func api(_ method: String, _ path: String, body: Any? = nil, token: String? = LiveServer.token) throws -> APIResponse {
        var options = ["-X", method]
        if let token { options += ["-H", "Authorization: Bearer \(token)"] }
        if let body {
            let file = (data as NSString).appendingPathComponent("body-\(UUID().uuidString.prefix(8)).json")
            let bytes = try body as? Data ?? JSONSerialization.data(withJSONObject: body)
            try bytes.write(to: URL(fileURLWithPath: file))
            options += ["-H", "Content-Type: application/json", "--data-binary", "@\(file)"]
        }
        let response = try curl(base + path, options, scratch: data)
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        return APIResponse(status: response.status, json: json, raw: response)
    }

    /// Polls GET /v1/jobs/{id} until `state` (or a final state); returns the last view.
    func waitForJob(_ id: String, state: String, seconds: Double) throws -> [String: Any] {
        var last: [String: Any] = [:]
        _ = waitUntil(seconds: seconds) {
            last = (try? api("GET", "/v1/jobs/\(id)").json) ?? [:]
            let now = last["state"] as? String
            return now == state || ["succeeded", "failed", "cancelled"].contains(now ?? "")
        }
        return last
    }
}

extension APIResponse {
    var errorMessage: String { ((json["error"] as? [String: Any])?["message"] as? String) ?? "" }
    var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
}
