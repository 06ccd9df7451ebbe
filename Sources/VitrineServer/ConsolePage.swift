// The operator console at /console: one HTML page from Console/console.html (plain HTML and JS,
// no build step), shipped as a resource of this module. It asks for the API token and calls /v1.
//
// The resource bundle is looked up beside the executable by hand: SwiftPM's Bundle.module stops
// the process when the bundle is missing, and a worker must not die because a page is.
import Foundation
import Hummingbird

enum ConsolePage {
    static let bundleName = "Vitrine_VitrineServer.resources"

    static let html: String = {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent(bundleName),
            Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(bundleName),
        ].compactMap { $0?.appendingPathComponent("console.html") }
        for url in candidates {
            if let text = try? String(contentsOf: url, encoding: .utf8) { return text }
        }
        return "<!doctype html><title>Vitrine console</title><p>console.html is missing: ship \(bundleName) beside the vitrine binary.</p>"
    }()

    static func response() -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=utf-8"
        fields[.cacheControl] = "no-cache"
        // The page only talks to this origin; no inline script from elsewhere can run.
        fields[.contentSecurityPolicy] = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; media-src 'self' blob:; img-src 'self' data: blob:"
        return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
