// A file job's demux-to-lanes path (SourceDryRun): the fuzzer's bytes are a media file, opened
// from memory with only the demuxers a file job allows (Demuxer.mediaFormats), then analysed,
// decoded, made constant-rate, resampled, encoded to the smallest rung and packaged, for at most
// 1 s of its timeline. An odd-sized input is packaged as fMP4, an even one as TS, so both
// muxers meet the same hostile timelines. Every input must end in a report or a thrown error,
// and a report must keep the promises playlists rely on (SourceDryRunReport.brokenPromise).
import VitrineHLS
import VitrineMedia
import VitrinePipeline

let silenceFFmpeg: Void = FFmpegLog.silent()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDemux(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    silenceFFmpeg
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let format: SegmentFormat = size % 2 == 1 ? .fmp4 : .ts
    guard let demuxer = try? Demuxer(bytes: bytes, name: "fuzz input"),
          let report = try? SourceDryRun.run(demuxer, format: format) else { return 0 }
    if let broken = report.brokenPromise(format: format) { fatalError("\(format): \(broken)") }
    return 0
}
