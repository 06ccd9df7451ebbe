// AudienceKeeper: a show's audience.json is written when its viewers change or the file is gone,
// not on every sweep, and nothing is written for a stream nobody watched.
import Foundation
import Logging
import Testing
@testable import VitrinePipeline
@testable import VitrineServer
import VitrineStore

struct AudienceKeeperTests {
    @Test func savesWhenTheAudienceChangesOrTheFileIsGone() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-audience-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let watched = JobRecord(id: "job-a", kind: .live, source: "rtmp", outputDirectory: folder, playbackID: "AbCdEfGh_-123456")
        let quiet = JobRecord(id: "job-b", kind: .file, source: "x.mp4", outputDirectory: folder + "/quiet", playbackID: "ZyXwVuTs_-654321")
        let viewers = ViewerCounter()
        var keeper = AudienceKeeper(viewers: viewers, logger: Logger(label: "test"))
        let path = AudienceKeeper.path(watched)
        let start = Date(timeIntervalSince1970: 1_800_000_000)

        await keeper.save([watched, quiet])
        #expect(!FileManager.default.fileExists(atPath: path), "no viewers, no file")
        #expect(!viewers.isWatched(playbackID: "AbCdEfGh_-123456"))

        viewers.saw(playbackID: "AbCdEfGh_-123456", session: "vs:one", at: start)
        #expect(viewers.isWatched(playbackID: "AbCdEfGh_-123456") && !viewers.isWatched(playbackID: "ZyXwVuTs_-654321"))
        await keeper.save([watched, quiet])
        #expect(try AudienceFile.read(path) == viewers.presence(playbackID: "AbCdEfGh_-123456"))
        #expect(!FileManager.default.fileExists(atPath: AudienceKeeper.path(quiet)))
        let first = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int

        // Unchanged: the same file (AtomicFileWriter renames a new inode into place on a write).
        await keeper.save([watched])
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int == first)

        viewers.saw(playbackID: "AbCdEfGh_-123456", session: "vs:two", at: start.addingTimeInterval(2))
        await keeper.save([watched])
        #expect(try AudienceFile.read(path).count == 2)

        try FileManager.default.removeItem(atPath: path)
        await keeper.save([watched])
        #expect(try AudienceFile.read(path).count == 2, "a removed file is written again")
    }
}
