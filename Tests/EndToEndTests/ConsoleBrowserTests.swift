// End to end: the operator console (/console) in a real headless Chromium, driven over the W3C
// WebDriver HTTP API (Debian's chromedriver on loopback, called with curl). The page must load,
// list the running live job, push a card that reaches the job (applied within two frames, announced
// in the live playlist), preview the job's HLS in its <video>, and show API errors in #status.
import Foundation
import Testing

@Suite(.serialized)
struct ConsoleBrowserTests {
    @Test func pageListsTheLiveJobAndPushesACardToIt() throws {
        let clock = Date()
        let server = try LiveServer(keys: [], extra: ["--ladder", "720p:2500k,360p:800k", "--preset", "ultrafast", "--grace", "1"])
        defer { server.stop() }
        // The browser starts while nothing else runs; the publish comes after.
        let browser = try Browser(scratch: server.data)
        defer { browser.close() }
        let context = { "\(browser.summary())\n--- server log ---\n\(server.logText().suffix(1200))" }
        print("console: browser ready after \(elapsed(clock))")

        let created = try server.api("POST", "/v1/keys")
        let rtmpURL = try #require(created.json["rtmpUrl"] as? String)
        let playbackID = try #require(created.json["playbackId"] as? String)
        let publisher = try Publisher.ffmpeg(rtmpURL, loops: 2, scratch: server.data)
        var found: String?
        #expect(waitUntil(seconds: 20) {
            let jobs = (try? server.api("GET", "/v1/jobs").json["jobs"] as? [[String: Any]]) ?? nil
            found = jobs?.first { $0["kind"] as? String == "live" && $0["state"] as? String == "running"
                && $0["playbackId"] as? String == playbackID }?["id"] as? String
            return found != nil
        }, "no running live job: \(publisher.output)\n\(server.logText().suffix(1200))")
        let jobID = try #require(found)
        print("console: live job \(jobID) running after \(elapsed(clock))")

        // The page, with the token in the fragment (which it then drops from the address).
        try browser.open(server.base + "/console#token=" + LiveServer.token)
        try #require(browser.wait(seconds: 5) { try browser.element("#card-form").count > 0 }, "the console did not load: \(context())")
        #expect(try browser.title() == "Vitrine console")
        #expect(try browser.text("h1") == "Vitrine console")
        #expect(try browser.execute("return location.hash") as? String == "")
        #expect(browser.wait(seconds: 10) { try browser.text("#jobs").contains(jobID) }, "job \(jobID) not listed: \(context())")
        // The renditions' figures come with the job process's first report, a moment after it starts.
        var row = ""
        #expect(browser.wait(seconds: 10) {
            row = try browser.text("#jobs tr[data-id='\(jobID)']")
            return row.contains("live") && row.contains("running") && row.contains("360p")
        }, "row: \(row)")
        print("console: job listed on the page after \(elapsed(clock))")

        // Preview (which also picks the job for the card form), then a card with a typo in the
        // currency: the API's message shows in the status line.
        try browser.click("button[data-preview='\(jobID)']")
        #expect(browser.wait(seconds: 5) { try browser.text("#card-job") == jobID }, "\(context())")
        try browser.type("#card-id", "console-deal")
        try browser.type("#card-sku", "BAG-0007")
        try browser.click("#card-kind option[value='productCard']")
        try browser.type("#card-title", "Bolsa Tote")
        try browser.type("#card-amount", "19.99")
        try browser.type("#card-compare", "29.99")
        try browser.replace("#card-currency", "EUX")
        try browser.replace("#card-locale", "fr-FR")
        try browser.type("#card-stock", "Only 2 left")
        try browser.click("#card-anchor option[value='topRight']")
        try browser.click("#push-card")
        #expect(browser.wait(seconds: 10) {
            try browser.text("#status").contains("unknown currency") && browser.attribute("#status", "class") == "error"
        }, "no error for the bad currency: \(context())")

        try browser.replace("#card-currency", "EUR")
        try browser.click("#push-card")
        #expect(browser.wait(seconds: 10) { try browser.text("#status").contains("pushed") }, "push failed: \(context())")
        print("console: card pushed from the page after \(elapsed(clock))")

        // The job has it, drawn within two frames of the push.
        var card: [String: Any]?
        #expect(waitUntil(seconds: 5) {
            let cards = (try? server.api("GET", "/v1/jobs/\(jobID)/cards").json["cards"] as? [[String: Any]]) ?? nil
            card = cards?.first { $0["id"] as? String == "console-deal" }
            return card?["applied"] != nil
        }, "card not applied: \(String(describing: card))\n\(context())")
        let pushed = try #require(card)
        #expect(pushed["kind"] as? String == "productCard" && pushed["title"] as? String == "Bolsa Tote" && pushed["stock"] as? String == "Only 2 left")
        #expect(pushed["price"] as? [String: String] == ["amount": "19.99", "compareAt": "29.99", "currency": "EUR", "locale": "fr-FR"])
        #expect((pushed["position"] as? [String: Any])?["anchor"] as? String == "topRight")
        let frames = try #require((pushed["applied"] as? [String: Any])?["delayFrames"] as? Int)
        #expect(frames <= 2, "card took \(frames) frames")
        #expect(browser.wait(seconds: 6) {
            let text = try browser.text("#cards")
            return text.contains("console-deal") && text.contains(" ms (")
        }, "card list without the apply delay: \(context())")

        // A price drop from the page.
        try browser.replace("#card-amount", "9.99")
        try browser.click("#update-price")
        #expect(browser.wait(seconds: 10) { try browser.text("#status").contains("price 9.99") }, "\(context())")
        let after = (try server.api("GET", "/v1/jobs/\(jobID)/cards").json["cards"] as? [[String: Any]])?.first { $0["id"] as? String == "console-deal" }
        #expect((after?["price"] as? [String: Any])?["amount"] as? String == "9.99", "\(String(describing: after))")
        print("console: price updated from the page after \(elapsed(clock))")

        // Hide from the page: the card leaves the job's list.
        try browser.click("#hide-card")
        #expect(browser.wait(seconds: 10) { try browser.text("#status").contains("hidden") }, "\(context())")
        let left = try server.api("GET", "/v1/jobs/\(jobID)/cards")
        #expect(left.status == 200 && (left.json["cards"] as? [[String: Any]])?.isEmpty == true, "\(left.json)")
        print("console: card hidden from the page after \(elapsed(clock))")

        // The preview (started before the card work) plays the job's HLS natively.
        var media: [String: Any] = [:]
        let plays = browser.wait(seconds: 20) {
            media = try browser.execute("""
                const v = document.getElementById('preview');
                return {readyState: v.readyState, currentTime: v.currentTime, networkState: v.networkState, src: v.currentSrc,
                        mediaError: v.error ? v.error.code + ' ' + v.error.message : null, canPlay: v.canPlayType('application/vnd.apple.mpegurl')};
                """) as? [String: Any] ?? [:]
            return (media["readyState"] as? Int ?? 0) >= 2 && (media["currentTime"] as? Double ?? 0) > 0
        }
        #expect(plays, "the preview does not play: \(media) \(browser.lastError)\n\(context())")
        print("console: preview playing (\(media)) after \(elapsed(clock))")

        // The show report under the cards: a band for the card the page pushed (it was on screen
        // from its push to its hide), and the viewers line counting the preview's player.
        var figures: [String: Any] = [:]
        #expect(browser.wait(seconds: 20) {
            figures = try browser.execute("""
                return {bands: document.querySelectorAll('#report-chart .band[data-product="console-deal"]').length,
                        points: document.getElementById('viewers-line').getAttribute('points').split(' ').filter(Boolean).length,
                        summary: document.getElementById('report-summary').textContent,
                        rows: document.querySelectorAll('#report-products tbody tr').length};
                """) as? [String: Any] ?? [:]
            let summary = figures["summary"] as? String ?? ""
            return figures["bands"] as? Int == 1 && (figures["points"] as? Int ?? 0) > 1 && (figures["rows"] as? Int ?? 0) >= 1
                && summary.range(of: "peak [1-9]", options: .regularExpression) != nil
        }, "report chart: \(figures)\n\(context())")
        print("console: report chart drawn (\(figures)) after \(elapsed(clock))")

        // The live playlist announces the card.
        let playlist = server.base + "/hls/\(playbackID)/360p/index.m3u8"
        var text = ""
        #expect(waitUntil(seconds: 15) {
            text = String(decoding: (try? curl(playlist, [], scratch: server.data))?.body ?? Data(), as: UTF8.self)
            return text.split(separator: "\n").contains { $0.hasPrefix("#EXT-X-DATERANGE:") && $0.contains("ID=\"console-deal\"") }
        }, "no DATERANGE for the card in \(playlist):\n\(text.suffix(1500))")
        print("console: done after \(elapsed(clock))")
    }

    @Test func wrongTokenShowsTheAPIErrorUntilTheRightOneIsEntered() throws {
        let server = try LiveServer(keys: [])
        defer { server.stop() }
        let browser = try Browser(scratch: server.data)
        defer { browser.close() }
        let context = { "\(browser.summary())\n--- server log ---\n\(server.logText().suffix(800))" }
        let key = try #require(try server.api("POST", "/v1/keys").json["key"] as? String)

        try browser.open(server.base + "/console#token=wrong-token-0123456789abcdef")
        try #require(browser.wait(seconds: 5) { try browser.element("#token").count > 0 }, "the console did not load: \(context())")
        #expect(browser.wait(seconds: 10) {
            let status = try browser.text("#status")
            return status.contains("401") && status.contains("wrong API token") && browser.attribute("#status", "class") == "error"
        }, "no token error: \(context())")
        #expect(try browser.execute("return document.querySelectorAll('#keys li[data-key]').length") as? Int == 0)

        // The right token typed into the field: the error goes, the keys show, the tab keeps it.
        try browser.replace("#token", LiveServer.token)
        try browser.click("#save-token")
        #expect(browser.wait(seconds: 10) {
            try browser.execute("return document.querySelector('#keys li[data-key=\"\(key)\"]') !== null") as? Bool == true
        }, "keys not listed with the right token: \(context())")
        #expect(try browser.text("#status").isEmpty, "\(context())")
        #expect(try browser.execute("return sessionStorage.getItem('vitrine.token')") as? String == LiveServer.token)
    }
}

private func elapsed(_ start: Date) -> String { String(format: "%.1f s", Date().timeIntervalSince(start)) }

/// chromedriver on a free loopback port with one headless Chromium session, spoken to in W3C
/// WebDriver JSON over curl. close() ends the session and chromedriver (and Chromium if it lingers).
final class Browser {
    private let driver = Process()
    private let logPath: String
    private var port = 0
    private var session = ""
    private var chromePID: Int32 = 0
    private static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(scratch: String) throws {
        logPath = (scratch as NSString).appendingPathComponent("chromedriver.log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        driver.arguments = ["--port=0"]
        driver.standardOutput = file
        driver.standardError = file
        driver.standardInput = FileHandle.nullDevice
        try driver.run()
        // "ChromeDriver was started successfully on port 41235."
        _ = waitUntil(seconds: 15) { [self] in
            guard let range = log().range(of: "started successfully on port ") else { return false }
            port = Int(log()[range.upperBound...].prefix { $0.isNumber }) ?? 0
            return port > 0
        }
        guard port > 0 else {
            close()
            throw Failure(description: "chromedriver did not start: \(log())")
        }
        let options: [String: Any] = [
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required",
                     "--window-size=1280,1000"],
        ]
        do {
            let value = try call("POST", "/session", ["capabilities": ["alwaysMatch": ["goog:chromeOptions": options]]]) as? [String: Any]
            session = value?["sessionId"] as? String ?? ""
            chromePID = ((value?["capabilities"] as? [String: Any])?["goog:processID"] as? NSNumber)?.int32Value ?? 0
        } catch {
            close()
            throw error
        }
        guard !session.isEmpty else {
            close()
            throw Failure(description: "no WebDriver session: \(log())")
        }
    }

    func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// One WebDriver command; returns its `value`, throws its error.
    @discardableResult
    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) throws -> Any? {
        var arguments = ["-sS", "--max-time", "60", "-X", method, "-H", "Content-Type: application/json"]
        if let body { arguments += ["--data-binary", String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)] }
        let result = try run("/usr/bin/curl", arguments + ["http://127.0.0.1:\(port)\(path)"], timeout: 90)
        guard result.status == 0 else { throw Failure(description: "\(method) \(path): curl: \(result.stderr)") }
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any]
        let value = json?["value"]
        // A W3C error: {"value": {"error": "no such element", "message": "...", "stacktrace": "..."}}.
        if let error = value as? [String: Any], let kind = error["error"] as? String, let message = error["message"] as? String,
           error["stacktrace"] != nil {
            throw Failure(description: "\(method) \(path): \(kind): \(message.prefix(400))")
        }
        return value
    }

    private var prefix: String { "/session/\(session)" }

    func open(_ url: String) throws { try call("POST", prefix + "/url", ["url": url]) }
    func title() throws -> String { try call("GET", prefix + "/title") as? String ?? "" }

    func execute(_ script: String, _ arguments: [Any] = []) throws -> Any? {
        try call("POST", prefix + "/execute/sync", ["script": script, "args": arguments])
    }

    func element(_ css: String) throws -> String {
        let value = try call("POST", prefix + "/element", ["using": "css selector", "value": css]) as? [String: Any]
        guard let id = value?[Self.elementKey] as? String else { throw Failure(description: "no element \(css)") }
        return id
    }

    func text(_ css: String) throws -> String { try call("GET", prefix + "/element/\(element(css))/text") as? String ?? "" }
    func attribute(_ css: String, _ name: String) -> String? {
        try? call("GET", prefix + "/element/\(element(css))/attribute/\(name)") as? String
    }
    func click(_ css: String) throws { try call("POST", prefix + "/element/\(element(css))/click", [:]) }
    func type(_ css: String, _ text: String) throws { try call("POST", prefix + "/element/\(element(css))/value", ["text": text]) }

    /// Clears a field, then types `text` into it.
    func replace(_ css: String, _ text: String) throws {
        let id = try element(css)
        try call("POST", prefix + "/element/\(id)/clear", [:])
        try call("POST", prefix + "/element/\(id)/value", ["text": text])
    }

    /// The last error a `wait` condition threw, for failure messages.
    private(set) var lastError = ""

    /// Polls `condition` (errors count as false) until it holds or `seconds` pass.
    func wait(seconds: Double, _ condition: () throws -> Bool) -> Bool {
        waitUntil(seconds: seconds) {
            do { return try condition() } catch {
                lastError = "\(error)"
                return false
            }
        }
    }

    /// For failure messages: the status line and the start of the page's text.
    func summary() -> String {
        let text = (try? execute("return document.body ? document.body.innerText : document.documentElement.outerHTML") as? String) ?? "(no page)"
        let status = (try? self.text("#status")) ?? "?"
        return "--- page (\((try? title()) ?? "?")) status: \(status) ---\n\(text.prefix(2000))"
            + (lastError.isEmpty ? "" : "\n--- last WebDriver error: \(lastError)")
    }

    func close() {
        if !session.isEmpty {
            _ = try? call("DELETE", prefix)
            session = ""
        }
        if driver.isRunning {
            driver.terminate()
            if !waitUntil(seconds: 5, { !self.driver.isRunning }) { kill(driver.processIdentifier, SIGKILL) }
            driver.waitUntilExit()
        }
        // Chromium is chromedriver's child; should it outlive the session, end it by its id.
        if chromePID > 0, kill(chromePID, 0) == 0 {
            kill(chromePID, SIGTERM)
        }
        chromePID = 0
    }

    deinit { close() }
}
