// The routes `vitrine serve` answers over HTTP. The HLS routes hand the raw request target to
// HLSOrigin rather than using router parameters, so the validation sees exactly what the client
// sent (no decoding or normalisation happens before it).
import Hummingbird

public enum OriginRoutes {
    /// `control`: the /v1 API and console (serve always has it; route tests may leave it out).
    /// `metrics`: request counting and /metrics, with the job snapshot taken at each scrape.
    public static func router(origin: HLSOrigin, readiness: Readiness, control: ControlRoutes? = nil,
                              metrics: ServeMetrics? = nil) -> Router<OriginRequestContext> {
        let router = Router(context: OriginRequestContext.self)
        if let metrics {
            router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
            router.get("/metrics") { _, _ in
                let text = metrics.render(control?.supervisor.metricsSnapshot() ?? .init())
                var fields = HTTPFields()
                fields[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
                fields[.cacheControl] = "no-store"
                return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
        }
        if let control {
            for route in ControlRoutes.table {
                // Router syntax: {id} -> :id.
                let pattern = route.path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
                router.on(RouterPath(pattern), method: route.method) { request, context in
                    await control.handle(route, request, context)
                }
            }
            router.get("/console") { _, _ in ConsolePage.response() }
        }
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/readyz") { _, _ in
            let missing = readiness.missing
            return missing.isEmpty ? Self.text(.ok, "ready\n") : Self.text(.serviceUnavailable, "not ready: \(missing.joined(separator: ", "))\n")
        }
        for method in [HTTPRequest.Method.get, .head, .options] {
            router.on("/hls/**", method: method) { request, context in
                await origin.respond(method: request.method, target: request.head.path ?? "", headers: request.headers,
                                     client: ClientAddress.key(context.remoteAddress))
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
