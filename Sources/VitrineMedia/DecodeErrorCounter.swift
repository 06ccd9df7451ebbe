// Counts the error messages one decoder logs: damage it concealed while still returning pictures.
import CFFmpeg

/// The counter the log callback bumps for a decoder's error messages (see shim.h).
final class DecodeErrorCounter {
    let pointer: UnsafeMutableRawPointer

    init() throws {
        pointer = try allocated(vitrine_counter_new(), "allocating a decoder error counter")
    }

    deinit { vitrine_counter_free(pointer) }

    var value: Int { Int(vitrine_counter_load(pointer)) }
}
