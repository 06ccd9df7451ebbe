// Where a job's source meets its lanes, the same for a file demuxer and a live publish: video
// packets are decoded once, made constant-rate and handed to every lane; AAC packets (encoded
// once by the AudioChain) are fanned out to every lane, and held, bounded, while the lanes do not
// exist yet (a live job sizes its ladder from its first picture). The source only turns its
// input into packets on the job timeline.
import CFFmpeg
import Foundation
import VitrineMedia

final class LadderFeed<Sink: SegmentSink> {
    private(set) var framesPerSecond: Double
    private var rate: FrameRateConverter
    /// Seconds on the job timeline of a decoded picture's stamp.
    private let secondsOfStamp: (Int64) -> Double
    /// A stream that does not decode for this long fails the job (live: its publisher is told
    /// instead of held while nothing comes out). nil: errors are only counted, and a file is
    /// judged once it has been read.
    private let maxFailingSeconds: Double?
    private(set) var decoder: Decoder?
    private var replacedConcealed = 0
    var lanes: [EncodingLane<Sink>]? {
        didSet { releasePendingAudio() }
    }
    /// Told the time of each frame handed to the lanes (an operator's "now").
    var playhead: Playhead?
    /// Called with the first picture while there are no lanes: it must set `lanes`.
    var makeLanes: ((Frame) throws -> Void)?
    /// Output frames handed to the lanes at most (a dry run's bound: SourceDryRun); the
    /// constant-rate conversion goes on past it, but no lane is handed more.
    var maxOutputFrames: Int64 = .max
    /// The lanes have been handed `maxOutputFrames` frames.
    var isFull: Bool { rate.nextIndex >= maxOutputFrames }

    private(set) var videoPackets = 0
    private(set) var videoFrames = 0
    private(set) var videoDecodeErrors = 0
    private(set) var lastVideoSeconds: Double?
    /// The newest picture handed out (shared read-only with the lanes, as every picture is).
    private var lastFrame: Frame?
    private var failedInARow = 0
    private var failingSince = Date()
    private var pendingAudio: [Packet] = []
    /// About 10 s of AAC: a publish whose video never decodes must not grow memory without end.
    private static var maxPendingAudio: Int { 500 }

    init(framesPerSecond: Double, decoder: Decoder?, maxFailingSeconds: Double?, secondsOfStamp: @escaping (Int64) -> Double) {
        self.framesPerSecond = framesPerSecond
        rate = FrameRateConverter(framesPerSecond: framesPerSecond)
        self.decoder = decoder
        self.maxFailingSeconds = maxFailingSeconds
        self.secondsOfStamp = secondsOfStamp
    }

    /// Timestamp jumps treated as discontinuities in the video.
    var videoJumps: Int { rate.jumps }

    var decodeErrors: Int { videoDecodeErrors + replacedConcealed + (decoder?.concealedErrors ?? 0) }

    /// A new output frame rate, before the lanes exist (a publisher's onMetaData).
    func setFrameRate(_ framesPerSecond: Double) {
        guard lanes == nil else { return }
        self.framesPerSecond = framesPerSecond
        rate = FrameRateConverter(framesPerSecond: framesPerSecond)
    }

    /// Swaps the video decoder (a live publisher's new sequence header), draining the old one
    /// first: its pictures belong to the old configuration.
    func replaceDecoder(_ new: Decoder?) throws {
        if decoder != nil { try video(nil) }
        replacedConcealed += decoder?.concealedErrors ?? 0
        decoder = new
    }

    /// The job is over: the decoder goes without handing out what it still holds.
    func discardDecoder() {
        replacedConcealed += decoder?.concealedErrors ?? 0
        decoder = nil
    }

    /// Sends one video packet (nil: drain) and hands every picture out at constant frame rate.
    /// Blocks while a lane is its queue depth behind.
    func video(_ packet: Packet?) throws {
        guard let decoder else { return }
        if let packet {
            videoPackets += 1
            do {
                try decoder.send(packet)
            } catch {
                try refused()
            }
        } else {
            try? decoder.send(nil)
        }
        while true {
            let frame = try Frame()
            let got: Bool
            do { got = try decoder.receive(into: frame) } catch { videoDecodeErrors += 1; continue }
            guard got else { break }
            try hand(frame)
        }
    }

    /// AAC packets for every lane; kept (the newest 500) until the lanes exist.
    func audio(_ packets: [Packet]) {
        guard !packets.isEmpty else { return }
        guard let lanes else {
            pendingAudio += packets
            if pendingAudio.count > Self.maxPendingAudio { pendingAudio.removeFirst(pendingAudio.count - Self.maxPendingAudio) }
            return
        }
        EncodingLane.fanOut(packets, to: lanes)
    }

    private func refused() throws {
        videoDecodeErrors += 1
        failedInARow += 1
        if failedInARow == 1 { failingSince = Date() }
        if let maxFailingSeconds, failedInARow >= 5, Date().timeIntervalSince(failingSince) >= maxFailingSeconds {
            throw TranscodeError.damagedInput("\(failedInARow) video packets in a row do not decode (a damaged stream, or a picture over \(SourceAnalysis.maxLongSide)x\(SourceAnalysis.maxShortSide))")
        }
    }

    private func hand(_ frame: Frame) throws {
        // max_pixels bounds the decoder; a picture past our own limit is refused here too.
        guard max(frame.width, frame.height) <= SourceAnalysis.maxLongSide,
              min(frame.width, frame.height) <= SourceAnalysis.maxShortSide else {
            throw TranscodeError.unreadableInput("picture \(frame.width)x\(frame.height) is over the \(SourceAnalysis.maxLongSide)x\(SourceAnalysis.maxShortSide) limit")
        }
        if frame.hasDecodeErrors { videoDecodeErrors += 1 }
        failedInARow = 0
        videoFrames += 1
        if lanes == nil { try makeLanes?(frame) }
        let stamp = frame.bestEffortTimestamp
        let seconds = stamp == noTimestamp ? (lastVideoSeconds ?? -1 / framesPerSecond) + 1 / framesPerSecond : secondsOfStamp(stamp)
        lastVideoSeconds = seconds
        lastFrame = frame
        submit(frame, indices: rate.indices(forFrameAt: seconds))
    }

    /// Live: video that has stopped while the audio goes on (a frozen camera app). Once the last
    /// picture is `bound` seconds older than `seconds`, it is shown again at the output rate up
    /// to `seconds`, so segments keep being cut. Pictures that come back for time already shown
    /// are dropped by the rate converter. Returns whether anything was repeated.
    func repeatLastFrame(upTo seconds: Double, after bound: Double) -> Bool {
        guard let lastFrame, let last = lastVideoSeconds, seconds - last > bound else { return false }
        let indices = rate.indices(forFrameAt: seconds)
        submit(lastFrame, indices: indices)
        return !indices.isEmpty
    }

    private func submit(_ frame: Frame, indices: Range<Int64>) {
        let indices = indices.clamped(to: 0 ..< maxOutputFrames)
        guard !indices.isEmpty, let lanes else { return }
        for lane in lanes { lane.submit(frame, indices: indices) }
        playhead?.advance(to: Double(indices.upperBound - 1) / framesPerSecond)
    }

    private func releasePendingAudio() {
        guard lanes != nil, !pendingAudio.isEmpty else { return }
        let waiting = pendingAudio
        pendingAudio = []
        audio(waiting)
    }
}
