// OCR.swift - reads a rendered card back as text with tesseract (Debian's tesseract-ocr, set up by
// Scripts/install-deps.sh), the way a viewer reads it: flattened onto black, enlarged 3x and
// inverted to dark on light, which is what tesseract reads best.

import Foundation
@testable import VitrineOverlay

enum OCR {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ card: RenderedCard, scale: Int = 3) throws -> String {
        let width = card.width * scale, height = card.height * scale
        var pixels = [UInt8](repeating: 255, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let source = ((y / scale) * card.width + x / scale) * 4
                let target = (y * width + x) * 4
                // Premultiplied over black is the colour bytes as they are; invert for dark text.
                for channel in 0..<3 { pixels[target + channel] = 255 - card.pixels[source + channel] }
                pixels[target + 3] = 255
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-ocr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = folder.appendingPathComponent("card.png")
        try CardSnapshot.writePNG(width: width, height: height, pixels: pixels, to: png)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tesseract")
        process.arguments = [png.path, "stdout", "--psm", "6", "-l", "eng"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "tesseract could not start (Scripts/install-deps.sh installs tesseract-ocr): \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "tesseract exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }
}
