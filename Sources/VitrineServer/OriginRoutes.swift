// The routes `vitrine serve` answers over HTTP. The HLS routes hand the raw request target to
// HLSOrigin rather than using router parameters, so the validation sees exactly what the client
// sent (no decoding or normalisation happens before it).
import Hummingbird

public enum OriginRoutes {
    public static func router(origin: HLSOrigin, readiness: Readiness) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/readyz") { _, _ in
            let missing = readiness.missing
            return missing.isEmpty ? Self.text(.ok, "ready\n") : Self.text(.serviceUnavailable, "not ready: \(missing.joined(separator: ", "))\n")
        }
        for method in [HTTPRequest.Method.get, .head, .options] {
            router.on("/hls/**", method: method) { request, _ in
                origin.respond(method: request.method, target: request.head.path ?? "", headers: request.headers)
            }
        }
        return router
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "text/plain; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
