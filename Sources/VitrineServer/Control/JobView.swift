// A job as the API shows it: the stored record, plus live figures while it runs here
// (per-rendition frames and encode fps, speed, dropped frames) and where to play it.
import Foundation
import VitrinePipeline
import VitrineStore

enum JobView {
    static func make(_ record: JobRecord, figures: JobFigures?) -> [String: Any] {
        var object: [String: Any] = [
            "id": record.id, "kind": record.kind.rawValue, "state": record.state.rawValue,
            "createdAt": JSONBody.date(record.createdAt), "startedAt": JSONBody.date(record.startedAt),
            "finishedAt": JSONBody.date(record.finishedAt), "error": record.error ?? NSNull(),
            "attempts": record.attempts,
        ]
        if record.kind == .file { object["input"] = record.source }
        if let id = record.playbackID {
            object["playbackId"] = id
            object["playbackUrl"] = "/hls/\(id)/master.m3u8"
        }
        if let report = record.report, let data = report.data(using: .utf8), let parsed = try? JSONSerialization.jsonObject(with: data) {
            object["report"] = parsed
        }
        if let figures {
            object["renditions"] = figures.renditions.map { r -> [String: Any] in
                ["name": r.name, "framesEncoded": r.framesEncoded, "encodeFps": (r.encodeFramesPerSecond * 10).rounded() / 10,
                 "framesDropped": r.framesDropped]
            }
            object["droppedUnits"] = figures.droppedUnits
            object["degraded"] = figures.degraded
            if record.kind == .live { object["restarts"] = figures.restarts.map(restart) }
            if let progress = figures.progress {
                object["progress"] = [
                    "processedSeconds": progress.processedSeconds, "totalSeconds": progress.totalSeconds ?? NSNull(),
                    "fraction": progress.fraction ?? NSNull(), "speed": (progress.speed * 100).rounded() / 100,
                ] as [String: Any]
            }
        }
        return object
    }

    /// One restart of a live job's process: when, why, and how long until pictures came again.
    static func restart(_ restart: LiveRestart) -> [String: Any] {
        ["at": JSONBody.date(restart.at), "reason": restart.reason, "restartSeconds": restart.restartedAfter ?? NSNull(),
         "recoverySeconds": restart.recoveredAfter ?? NSNull()]
    }
}
