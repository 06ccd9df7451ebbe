// AMF0 (Adobe AMF0 spec): any bytes decode to values or throw an AMF0Error; never trap, and
// never nest past the depth limit. What decodes must encode, and decoding that encoding must
// give back the same bytes when encoded again (compared as bytes, so NaN numbers compare).
import VitrineRTMP

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAMF0(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let values = try? AMF0Decoder.decodeAll(bytes) else { return 0 }
    let encoded = AMF0Encoder.encode(values)
    guard let again = try? AMF0Decoder.decodeAll(encoded), AMF0Encoder.encode(again) == encoded else {
        fatalError("AMF0 values did not survive an encode and decode: \(values)")
    }
    return 0
}
