// Settings precedence (defaults < file < environment), refusals that name the field, and
// docs/configuration.md listing every field with its variable and default.
import Foundation
import Testing
@testable import VitrineServer

struct ServeConfigurationTests {
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-config-\(UUID().uuidString.prefix(8)).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func defaultsWorkWithNothingGiven() throws {
        let c = try ServeConfiguration.load(file: nil, environment: [:])
        #expect(c.http == "127.0.0.1:8080" && c.rtmp == "0.0.0.0:1935" && c.dataDirectory == "vitrine-data")
        #expect(c.apiToken == nil && c.maxJobs == 4)
        try c.validate()
    }

    @Test func fileOverridesDefaultsAndEnvironmentOverridesFile() throws {
        let path = try file(#"{"maxJobs": 2, "http": "0.0.0.0:9000", "inputDirectories": ["/srv/a"]}"#)
        let c = try ServeConfiguration.load(file: path, environment: ["VITRINE_MAX_JOBS": "7", "VITRINE_INPUT_DIRS": "/x:/y", "VITRINE_RECORD": "yes"])
        #expect(c.maxJobs == 7 && c.http == "0.0.0.0:9000" && c.inputDirectories == ["/x", "/y"] && c.record)
        #expect(c.preset == "veryfast")
    }

    @Test func refusalsNameTheField() throws {
        let typo = try file(#"{"maxJob": 2}"#)
        #expect(throws: ConfigurationError("config file \(typo): maxJob: unknown field (see docs/configuration.md)")) {
            try ServeConfiguration.load(file: typo, environment: [:])
        }
        let typed = try file(#"{"maxJobs": "two"}"#)
        #expect { try ServeConfiguration.load(file: typed, environment: [:]) } throws: { "\($0)".contains("maxJobs: expected Int") }
        #expect { try ServeConfiguration.load(file: nil, environment: ["VITRINE_MAX_JOBS": "many"]) } throws: { "\($0)".contains("VITRINE_MAX_JOBS=many") }
        var short = ServeConfiguration()
        short.apiToken = "abc"
        #expect { try short.validate() } throws: { "\($0)".contains("apiToken") }
        var live = ServeConfiguration()
        live.listSize = 1
        #expect { try live.validate() } throws: { "\($0)".contains("listSize 1: expected 2 to 100") }
        live = ServeConfiguration()
        live.preset = "quick"
        #expect { try live.validate() } throws: { "\($0)".contains("preset quick") }
        live = ServeConfiguration()
        live.logLevel = "loud"
        #expect { try live.validate() } throws: { "\($0)".contains("logLevel loud") }
        var address = ServeConfiguration()
        address.http = "8080"
        #expect { try address.validate() } throws: { "\($0)".contains("http 8080: expected HOST:PORT") }
    }

    @Test func documentationListsEveryFieldWithItsVariable() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        for key in ServeConfiguration.CodingKeys.allCases {
            let variable = try #require(ServeConfiguration.environmentNames[key.rawValue], "\(key.rawValue) has no variable")
            #expect(text.contains("| `\(key.rawValue)` | `\(variable)`"), "docs/configuration.md lacks \(key.rawValue)")
        }
    }
}
