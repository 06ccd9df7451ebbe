// What the job reads off the input before it starts: streams, displayed shape, frame rate, limits.
import CFFmpeg
import Logging
import VitrineMedia

struct SourceAnalysis {
    var video: StreamInfo?
    var audio: StreamInfo?
    var displayWidth = 0
    var displayHeight = 0
    var frameRate = AVRational(num: 30, den: 1)
    var timelineStart = 0.0

    static let maxLongSide = 4096
    static let maxShortSide = 2304

    init(_ demuxer: Demuxer, logger: Logger) throws {
        video = demuxer.bestStream(.video)
        audio = demuxer.bestStream(.audio)
        guard video != nil || audio != nil else {
            throw TranscodeError.unreadableInput("\(demuxer.path): no audio or video stream (\(demuxer.formatName))")
        }
        if let v = video {
            guard v.width > 0, v.height > 0 else {
                throw TranscodeError.damagedInput("\(demuxer.path): video stream \(v.index) (\(v.codecName)) has no picture size")
            }
            guard max(v.width, v.height) <= Self.maxLongSide, min(v.width, v.height) <= Self.maxShortSide else {
                throw TranscodeError.unreadableInput("\(demuxer.path): picture \(v.width)x\(v.height) is over the \(Self.maxLongSide)x\(Self.maxShortSide) limit")
            }
            // Displayed shape: pixel aspect first, then rotation.
            var w = PixelAspect.displayWidth(v.width, sar: v.sampleAspectRatio, logger: logger)
            var h = v.height
            if v.rotation % 180 != 0 { swap(&w, &h) }
            (displayWidth, displayHeight) = (w, h)
            let rate = Double(v.frameRate.num) / Double(max(1, v.frameRate.den))
            if rate >= 1 && rate <= 60 { frameRate = v.frameRate }
            else if rate > 60 { frameRate = AVRational(num: 60, den: 1) }
        }
        let starts = [video, audio].compactMap { $0 }.compactMap { s -> Double? in
            s.startTime == noTimestamp ? nil : MediaTime(s.startTime, s.timeBase).seconds
        }
        timelineStart = starts.min() ?? 0
    }

    var framesPerSecond: Double { Double(frameRate.num) / Double(frameRate.den) }
}
