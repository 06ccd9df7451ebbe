// The operator console at /console: one HTML page from Console/console.html (plain HTML and JS,
// no build step), shipped as a resource of this module. It asks for the API token and calls /v1.
import Foundation
import Hummingbird

enum ConsolePage {
    static let html: String = {
        guard let url = Bundle.module.url(forResource: "console", withExtension: "html"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            return "<!doctype html><title>Vitrine console</title><p>console.html is missing from this build.</p>"
        }
        return text
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
