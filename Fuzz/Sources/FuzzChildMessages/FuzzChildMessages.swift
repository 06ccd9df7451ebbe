// A hostile job process against the supervisor's handling of what it says: a stream of frames
// (each a 2-byte length and its bytes) goes through the checks serve applies (JobFrame.parse, the
// FromJob decoder, check(kind:), LiveChildBoundary, the memory budget). Whatever the child sends,
// nothing traps, every file kept in memory is its own show's, memory stays within the budget,
// and a ladder that passed names only rendition-shaped folders.
import Foundation
import VitrineJobs
import VitrinePipeline

private let playbackID = "AAAAAAAAAAAAAAAA"
private let budget = 1 << 20
private let rungs = [Rung(size: .shortSide(480), bitrate: 1_400_000), Rung(size: .shortSide(240), bitrate: 400_000)]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChildMessages(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let kind: JobKind = data[0] & 1 == 0 ? .live : .file
    let memory = LiveHLSMemory()
    var boundary = LiveChildBoundary(playbackID: playbackID, rungs: data[0] & 2 == 0 ? rungs : nil, ladder: nil, memoryBudget: budget)
    var ladder: LiveLadder?
    var offset = 1
    while offset + 2 <= size {
        let length = Int(data[offset]) << 8 | Int(data[offset + 1])
        offset += 2
        let end = min(size, offset + length)
        let frame = Data(UnsafeBufferPointer(start: data + offset, count: end - offset))
        offset = end
        guard let parsed = try? JobFrame.parse(frame) else { continue }
        switch parsed {
        case let .hls(change):
            guard (try? boundary.admit(change)) != nil else { continue }
            _ = memory.apply(change, budget: budget)
            guard memory.byteCount(stream: playbackID) <= budget, memory.byteCount == memory.byteCount(stream: playbackID) else {
                fatalError("memory holds \(memory.byteCount) bytes, \(memory.byteCount(stream: playbackID)) of them the show's, budget \(budget)")
            }
        case let .message(json):
            guard let message = try? JSONDecoder().decode(FromJob.self, from: json), (try? message.check(kind: kind)) != nil else { continue }
            switch message {
            case let .liveProgress(figures):
                _ = figures.renditions.map(\.framesEncoded).saturatingSum
                _ = [figures.droppedUnits, figures.handledUnits].saturatingSum
            case let .ladderFixed(reported):
                guard (try? boundary.admit(reported, fixed: ladder)) != nil else { continue }
                for name in reported.renditionNames where !HLSFileNames.isRenditionName(name) {
                    fatalError("a ladder with rendition \(name.debugDescription) was admitted")
                }
                ladder = reported
            default:
                break
            }
        case .accessUnit:
            break
        }
    }
    return 0
}
