// Counts every HTTP answer by route pattern and status for /metrics. The pattern (e.g.
// /v1/jobs/{id}) comes from the router after it matched, so ids never become label values.
import Hummingbird

struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = OriginRequestContext
    let metrics: ServeMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            metrics.request(route: Self.route(context), status: Int(response.status.code))
            return response
        } catch {
            let status = (error as? HTTPResponseError)?.status.code ?? 500
            metrics.request(route: Self.route(context), status: Int(status))
            throw error
        }
    }

    static func route(_ context: Context) -> String {
        guard let path = context.endpointPath else { return "unmatched" }
        // The router spells parameters :id; show them as the API document does.
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }
}
