// docs/openapi.json must describe exactly the routes the server registers: same paths, same
// methods, every path parameter declared, and every operation secured by the bearer token.
import Foundation
import Testing
@testable import VitrineServer

struct OpenAPIDocumentTests {
    static let document: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }()

    static let methods = ["get", "post", "put", "patch", "delete", "head", "options"]

    @Test func documentAndRouterNameTheSameOperations() throws {
        let paths = try #require(Self.document["paths"] as? [String: [String: Any]], "docs/openapi.json has no paths")
        var documented: Set<String> = []
        for (path, item) in paths {
            for method in item.keys where Self.methods.contains(method) { documented.insert("\(method.uppercased()) \(path)") }
        }
        let routed = Set(ControlRoutes.table.map { "\($0.method.rawValue) \($0.path)" })
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
        #expect(routed.subtracting(documented).isEmpty, "routed but not documented: \(routed.subtracting(documented).sorted())")
    }

    @Test func everyPathParameterIsDeclaredAndEveryOperationNeedsTheToken() throws {
        let paths = try #require(Self.document["paths"] as? [String: [String: Any]])
        for (path, item) in paths {
            let declared = Set(((item["parameters"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
            let inPath = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            #expect(declared == inPath, "\(path): parameters \(declared.sorted()) vs \(inPath.sorted())")
            for method in item.keys where Self.methods.contains(method) {
                let operation = try #require(item[method] as? [String: Any])
                let security = operation["security"] as? [[String: Any]]
                #expect(security?.contains { $0["bearer"] != nil } == true, "\(method) \(path) is not secured")
                let responses = operation["responses"] as? [String: Any] ?? [:]
                #expect(responses["401"] != nil, "\(method) \(path) does not document 401")
            }
        }
    }
}
