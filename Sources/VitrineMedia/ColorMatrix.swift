// Which Y'CbCr matrix a picture uses: decides how overlays convert RGB and how output is tagged.
import CFFmpeg

public enum ColorMatrix: String, Equatable, Sendable {
    case bt601
    case bt709

    /// The source's tagged matrix, or the usual guess from its height when untagged.
    public static func of(colorspace: AVColorSpace, height: Int) -> ColorMatrix {
        switch colorspace {
        case AVCOL_SPC_BT709: return .bt709
        case AVCOL_SPC_BT470BG, AVCOL_SPC_SMPTE170M: return .bt601
        default: return height >= 720 ? .bt709 : .bt601
        }
    }
}
