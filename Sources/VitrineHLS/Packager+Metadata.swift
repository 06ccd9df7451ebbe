// Packager+Metadata.swift - writes the card events of each fragment in band, just before the
// fragment is flushed: in TS as packets of a timed ID3 stream (PTS = the event's instant), in
// fMP4 as emsg boxes placed before the fragment's moof (CMAF: an emsg precedes the moof of the
// chunk it belongs to), each with the event's absolute presentation time.
import CFFmpeg
import VitrineMedia

extension Packager {
    /// The timed ID3 elementary stream the TS muxer announces in its PMT (stream type 0x15).
    func addMetadataStream() throws {
        let stream = try allocated(avformat_new_stream(context, nil), "adding the timed ID3 stream")
        stream.pointee.codecpar.pointee.codec_type = AVMEDIA_TYPE_DATA
        stream.pointee.codecpar.pointee.codec_id = AV_CODEC_ID_TIMED_ID3
        stream.pointee.time_base = AVRational(num: 1, den: 90_000)
        metadataStream = stream
    }

    /// Writes the events from the last flush up to `until` (exclusive); returns the emsg boxes
    /// to put before the fragment's bytes (fMP4), or nothing (TS: they are muxed packets).
    func emitMetadata(until: Double) throws -> [UInt8] {
        guard let metadataEvents, until > metadataUntil else { return [] }
        let events = metadataEvents(metadataUntil, until).sorted { $0.seconds < $1.seconds }
        metadataUntil = until
        guard !events.isEmpty else { return [] }
        switch format {
        case .ts:
            guard let stream = metadataStream else { return [] }
            for event in events {
                let ticks = Int64((max(0, event.seconds) * 90_000).rounded())
                let packet = try Packet(copying: ID3Tag.txxx(event.text), pts: ticks, dts: ticks, keyframe: true)
                packet.pointer.pointee.stream_index = stream.pointee.index
                packet.rescaleTimestamps(from: TimeBase(AVRational(num: 1, den: 90_000)), to: TimeBase(stream.pointee.time_base))
                try check(av_write_frame(context, packet.pointer), "muxing a timed ID3 packet")
            }
            return []
        case .fmp4:
            return events.flatMap { event in
                eventMessages &+= 1
                return EventMessageBox.id3(event, id: eventMessages)
            }
        }
    }
}
