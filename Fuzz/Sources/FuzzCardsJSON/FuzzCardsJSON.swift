// The cards file and API bodies (docs/cards.md): any bytes either load as cards or throw a
// CardError naming what is wrong (with its line where the field has one); never trap. Images
// resolve inside an empty folder, so an image path can only be refused or found missing.
import Foundation
import VitrineOverlay

let images: URL = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-fuzz-cards-\(getpid())")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCardsJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    do {
        _ = try CardsFile.load(bytes, imageDirectory: images, wallClockOrigin: Date(timeIntervalSince1970: 1_700_000_000))
    } catch {
        // The message an operator reads must be there, and say something.
        if error.description.isEmpty { fatalError("a CardError with no message") }
        if case .invalidValue(let path, _, _) = error { _ = CardsFile.line(of: path, in: bytes) }
    }
    return 0
}
