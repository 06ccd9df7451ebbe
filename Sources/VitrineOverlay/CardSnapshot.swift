// CardSnapshot.swift - PNG in and out for card bitmaps (via Cairo), for golden-image tests and for
// dumping what a lane draws when debugging. Not used on the per-frame path.

import CPangoCairo
import Foundation

public enum CardSnapshot {
    /// A PNG decoded to premultiplied BGRA (stride = width * 4).
    public struct Bitmap: Sendable {
        public let width: Int
        public let height: Int
        public let pixels: [UInt8]
    }

    /// Writes premultiplied BGRA pixels (stride = width * 4) as a PNG.
    public static func writePNG(width: Int, height: Int, pixels: [UInt8], to url: URL) throws(RenderError) {
        let canvas = try CairoCanvas(width: width, height: height)
        cairo_surface_flush(canvas.surface)
        let stride = Int(cairo_image_surface_get_stride(canvas.surface))
        guard let data = cairo_image_surface_get_data(canvas.surface) else { throw .cairo(status: "no surface data") }
        pixels.withUnsafeBufferPointer { src in
            for row in 0..<height {
                (data + row * stride).update(from: src.baseAddress! + row * width * 4, count: width * 4)
            }
        }
        cairo_surface_mark_dirty(canvas.surface)
        try CairoCanvas.check(cairo_surface_write_to_png(canvas.surface, url.path))
    }

    public static func writePNG(_ card: RenderedCard, to url: URL) throws(RenderError) {
        try writePNG(width: card.width, height: card.height, pixels: card.pixels, to: url)
    }

    /// Reads a PNG with Cairo's loader into premultiplied BGRA.
    public static func readPNG(at url: URL) throws(RenderError) -> Bitmap {
        guard let surface = cairo_image_surface_create_from_png(url.path) else { throw .cairo(status: "no surface") }
        defer { cairo_surface_destroy(surface) }
        try CairoCanvas.check(cairo_surface_status(surface))
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard cairo_image_surface_get_format(surface) == CAIRO_FORMAT_ARGB32 || cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24,
              let data = cairo_image_surface_get_data(surface) else { throw .cairo(status: "unexpected PNG pixel format") }
        let opaque = cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for row in 0..<height {
            for i in 0..<(width * 4) {
                // RGB24 leaves the alpha byte undefined: it means opaque.
                pixels[row * width * 4 + i] = (opaque && i % 4 == 3) ? 255 : data[row * stride + i]
            }
        }
        return Bitmap(width: width, height: height, pixels: pixels)
    }
}
