// An owning wrapper over AVDictionary, for passing options to FFmpeg.
import CFFmpeg

public final class OptionDictionary {
    public var pointer: OpaquePointer? = nil

    public init(_ options: [(String, String)]) {
        for (key, value) in options { av_dict_set(&pointer, key, value, 0) }
    }

    deinit { av_dict_free(&pointer) }

    /// Names of options FFmpeg did not consume: a typo in ours, or an option this build lacks.
    public var leftoverKeys: [String] {
        var keys: [String] = []
        var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
        while let next = av_dict_get(pointer, "", entry, AV_DICT_IGNORE_SUFFIX) {
            keys.append(String(cString: next.pointee.key))
            entry = next
        }
        return keys
    }
}
