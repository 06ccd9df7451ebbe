// The card images a job has decoded, by file: a price drop makes a successor card with the same
// picture, and a show reuses a product's image across cards, so each file is decoded once per job
// (per timeline), not once per card. A file that changes (size or modification time) is decoded
// again; the cache holds at most `limit` pictures, each already capped at 16 MiB.
import Foundation

final class DecodedImages: @unchecked Sendable {
    private struct Key: Hashable {
        var path: String
        var size: Int
        var modified: Date
    }

    private let lock = NSLock()
    private var images: [Key: ProductImage] = [:]
    private let limit = 32

    func image(at url: URL) throws(ImageError) -> ProductImage {
        let attributes = (try? FileManager.default.attributesOfItem(atPath: url.path)) ?? [:]
        let key = Key(path: url.path, size: attributes[.size] as? Int ?? -1,
                      modified: attributes[.modificationDate] as? Date ?? .distantPast)
        if let hit = lock.withLock({ images[key] }) { return hit }
        let decoded = try ImageDecoder.decode(fileAt: url)
        lock.withLock {
            if images.count >= limit { images.removeAll() }
            images[key] = decoded
        }
        return decoded
    }
}
