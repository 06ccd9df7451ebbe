// FLV tag bodies as RTMP carries them (video_file_format_spec_v10_1 E.4.2-E.4.3): the first
// byte picks audio or video; the rest is the tag body. Parsing either gives a tag or throws an
// FLVTagError; the AVC and AAC sequence headers inside are read by their own bounded parsers.
import VitrineRTMP

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFLV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if data[0] & 1 == 0 {
        _ = try? FLVTag.parseVideo(body)
        _ = AVCDecoderConfiguration(record: body)
    } else {
        _ = try? FLVTag.parseAudio(body)
        _ = AACAudioConfiguration(config: body)
    }
    return 0
}
