// Card images an operator or a cards file controls: a decompression bomb (a 170 KB PNG that
// inflates to 144 MP) is refused from its header, without its pixels being decoded, and an image
// path cannot leave the images folder by `..`, an absolute path or a symbolic link.
import Foundation
import Testing
@testable import VitrineOverlay

@Suite struct HostileImageTests {
    private func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vitrine-images-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aDecompressionBombIsRefusedWithoutDecodingIt() throws {
        let dir = try scratch()
        let bomb = dir.appendingPathComponent("bomb.png")
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        make.arguments = ["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:s=12000x12000", "-frames:v", "1", "-pix_fmt", "gray", bomb.path]
        try make.run()
        make.waitUntilExit()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: bomb.path)[.size] as? Int)
        #expect(size < 1 << 20, "the bomb should be small on the wire: \(size) bytes")
        let started = Date()
        #expect(throws: ImageError.oversized(width: 12000, height: 12000)) { try ImageDecoder.decode(fileAt: bomb) }
        // Decoding 144 MP takes over a second here; reading a header takes milliseconds.
        #expect(Date().timeIntervalSince(started) < 0.3, "took \(Date().timeIntervalSince(started)) s: it was decoded")
    }

    @Test(arguments: [("sneaker.png", 160, 160), ("bag.jpg", 200, 150), ("cap.webp", 128, 128)])
    func theHeaderGivesTheSizeBeforeAnyDecoding(name: String, width: Int, height: Int) throws {
        let size = try #require(ImageHeader.size(ofFileAt: Fixtures.cards.appendingPathComponent(name).path))
        #expect(size.width == width && size.height == height)
        #expect(ImageHeader.size(of: Array("not an image".utf8)) == nil)
        #expect(ImageHeader.size(of: [0xFF, 0xD8, 0xFF, 0xE0, 0, 1]) == nil)
    }

    @Test func imagePathsStayInsideTheImagesFolder() throws {
        let root = try scratch()
        let images = root.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        let secret = root.appendingPathComponent("secret.png")
        try FileManager.default.copyItem(at: Fixtures.cards.appendingPathComponent("sneaker.png"), to: secret)
        try FileManager.default.copyItem(at: Fixtures.cards.appendingPathComponent("sneaker.png"), to: images.appendingPathComponent("ok.png"))
        try FileManager.default.createSymbolicLink(at: images.appendingPathComponent("link.png"), withDestinationURL: secret)
        for name in ["../secret.png", secret.path, "link.png", "sub/../../secret.png"] {
            #expect(throws: ImageError.outsideFolder, "\(name)") { try ImagePath.confined(name, in: images) }
        }
        #expect(try ImagePath.confined("ok.png", in: images).lastPathComponent == "ok.png")
        #expect(throws: ImageError.missing) { try ImagePath.confined("gone.png", in: images) }
    }
}
