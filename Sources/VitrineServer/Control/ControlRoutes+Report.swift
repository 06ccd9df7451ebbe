// GET /v1/jobs/{id}/report: the show report of a job, live or file, as JSON or (with
// `?format=csv` or `Accept: text/csv`) CSV. Built from the job's show record beside its HLS
// output and the viewers this origin counted, which LiveShowSweep also saves there (audience.json),
// so `vitrine report FOLDER` gives the same report offline, as does this route after a restart.
import Foundation
import Hummingbird
import VitrinePipeline
import VitrineStore

extension ControlRoutes {
    /// GET /v1/jobs/{id}/clips: the live product clips cut so far, with their playback and
    /// download URLs (and where the MP4 lies on this server, for tools beside it).
    func clips(_ job: JobRecord) async throws -> Response {
        let path = (job.outputDirectory as NSString).appendingPathComponent(LiveClips.fileName(jobID: job.id))
        let clips = try await OffPool.run { LiveClips.read(path) }
        return JSONBody.response(.ok, ["clips": clips.map { clip -> [String: Any] in
            ["cardId": clip.cardID, "sku": clip.sku, "start": clip.start, "end": clip.end, "clipStart": clip.clipStart,
             "clipEnd": clip.clipEnd, "playbackUrl": clip.playbackURL, "mp4Url": clip.mp4URL,
             "mp4": ((supervisor.hlsDirectory as NSString).appendingPathComponent(clip.playbackID) as NSString).appendingPathComponent(clip.mp4Name),
             "madeAt": JSONBody.date(clip.madeAt)]
        }])
    }

    func report(_ job: JobRecord, _ request: Request) async throws -> Response {
        let folder = job.outputDirectory
        let wanted = [ShowRecord.fileName(jobID: job.id), ShowRecord.fileName].map { (folder as NSString).appendingPathComponent($0) }
        let show = try await OffPool.run { () -> ShowRecord? in
            guard let path = wanted.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return nil }
            return try ShowRecord.read(path)
        }
        guard let show else {
            throw APIError.notFound("job \(job.id) has no show record yet: it is written when its first picture is encoded")
        }
        // This origin's count, or what it saved (the count is gone after a restart).
        var presence = viewers?.presence(playbackID: job.playbackID ?? "") ?? []
        if presence.isEmpty {
            let path = AudienceKeeper.path(job)
            presence = (try? await OffPool.run { try AudienceFile.read(path) }) ?? []
        }
        // A running live show ends now; a finished one where it finished; a file job at its media end.
        let now: Date? = job.kind == .live ? (job.finishedAt ?? Date()) : nil
        var report = ShowReport.make(record: show, presence: presence, now: now)
        let clipsPath = (folder as NSString).appendingPathComponent(LiveClips.fileName(jobID: job.id))
        report.attach(try await OffPool.run { LiveClips.read(clipsPath) })
        let csv = request.uri.queryParameters.get("format") == "csv" || (request.headers[.accept] ?? "").contains("text/csv")
        var fields = HTTPFields()
        fields[.cacheControl] = "no-store"
        if csv {
            fields[.contentType] = "text/csv; charset=utf-8"
            fields[.contentDisposition] = "attachment; filename=\"report-\(job.id).csv\""
            return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: report.csv)))
        }
        fields[.contentType] = "application/json"
        return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try AudienceFile.encoder.encode(report))))
    }
}
