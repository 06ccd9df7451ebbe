// No Docker engine runs on our machines, so the container files are checked against what CI
// really does: the same install script, the same build product and path, and runtime package
// names that Debian 12 really ships the linked libraries in.
import Foundation
import Testing

struct ContainerFilesTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOf: Paths.root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Package names on the runtime stage's apt-get install line.
    static func runtimePackages(_ dockerfile: String) -> [String] {
        let runtime = dockerfile.components(separatedBy: "FROM debian:bookworm-slim").last ?? ""
        let install = runtime.components(separatedBy: "--no-install-recommends").dropFirst().first ?? ""
        let line = install.components(separatedBy: "&&").first ?? ""
        return line.split(whereSeparator: { $0 == " " || $0 == "\\" || $0 == "\n" }).map(String.init).filter { !$0.isEmpty }
    }

    @Test func buildStageDoesWhatCIDoes() throws {
        let ci = try Self.text(".ci/run")
        let dockerfile = try Self.text("docker/Dockerfile")
        let demo = try Self.text("Scripts/demo.sh")
        #expect(ci.contains("bash Scripts/install-deps.sh"))
        #expect(dockerfile.contains("RUN bash Scripts/install-deps.sh"))
        #expect(demo.contains("swift build -c release --product vitrine"))
        #expect(dockerfile.contains("RUN swift build -c release --product vitrine"))
        #expect(dockerfile.contains("COPY --from=build /src/.build/release/vitrine /usr/local/bin/vitrine"))
        // Every folder Package.swift names must be in the build context.
        for folder in ["Sources", "Tests", "Benchmarks/overlay-blend"] {
            #expect(dockerfile.contains("COPY \(folder) ./\(folder)"), "Dockerfile does not copy \(folder)")
        }
    }

    @Test func runtimePackagesShipTheLibrariesCIBuildsAgainst() throws {
        let dockerfile = try Self.text("docker/Dockerfile")
        let deps = try Self.text("Scripts/install-deps.sh")
        let runtime = Self.runtimePackages(dockerfile)
        #expect(runtime.contains("ffmpeg") && deps.contains("ffmpeg"))
        for font in runtime where font.hasPrefix("fonts-") {
            #expect(deps.contains(font), "\(font) is in the image but not installed by CI")
        }
        // The pangocairo library vitrine links is in the runtime package the image installs.
        let owner = try run("dpkg", ["-S", "/usr/lib/x86_64-linux-gnu/libpangocairo-1.0.so.0"])
        let package = owner.stdout.split(separator: ":").first.map(String.init) ?? ""
        #expect(runtime.contains(package), "libpangocairo ships in \(package), not in \(runtime)")
        // The SQLite library the job store links.
        let sqlite = try run("dpkg", ["-S", "/usr/lib/x86_64-linux-gnu/libsqlite3.so.0"]).stdout
        let sqlitePackage = sqlite.split(separator: ":").first.map(String.init) ?? ""
        #expect(runtime.contains(sqlitePackage), "libsqlite3 ships in \(sqlitePackage), not in \(runtime)")
        #expect(deps.contains("libsqlite3-dev"))
        // The console page's resource bundle sits beside the binary, where ConsolePage looks.
        #expect(dockerfile.contains("COPY --from=build /src/.build/release/Vitrine_VitrineServer.resources /usr/local/bin/Vitrine_VitrineServer.resources"))
        // ffmpeg pulls in the same libav* runtime libraries the -dev packages link against.
        let depends = try run("dpkg-query", ["-W", "-f=${Depends}", "ffmpeg"]).stdout
        for library in ["libavformat", "libavcodec", "libavutil", "libswscale", "libswresample"] {
            let owner = try run("dpkg", ["-S", "/usr/lib/x86_64-linux-gnu/\(library).so"]).stdout
            #expect(owner.hasPrefix("\(library)-dev"), "\(library).so is not from \(library)-dev: \(owner)")
            #expect(depends.contains(library), "the image's ffmpeg does not bring \(library)")
        }
    }

    @Test func composeRunsVitrineBehindTheNginxOrigin() throws {
        let compose = try Self.text("docker/compose.yaml")
        let nginx = try Self.text("docker/nginx.conf")
        let dockerfile = try Self.text("docker/Dockerfile")
        #expect(compose.contains("dockerfile: docker/Dockerfile"))
        #expect(compose.contains("./nginx.conf:/etc/nginx/conf.d/default.conf"))
        #expect(dockerfile.contains("\"--http\", \"0.0.0.0:8080\""))
        #expect(compose.contains("\"--http\", \"0.0.0.0:8080\""))
        #expect(nginx.contains("proxy_pass http://vitrine:8080"))
    }
}
