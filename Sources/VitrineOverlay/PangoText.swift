// PangoText.swift - owning wrappers for the Cairo surface/context and Pango layouts a card is drawn
// with. Each wraps one C object and releases it once in deinit.

import CPangoCairo

/// An ARGB32 Cairo surface (premultiplied BGRA bytes on little-endian) with its drawing context.
final class CairoCanvas {
    private let surfaceOwner: CairoSurface
    private let contextOwner: CairoContext
    let width: Int
    let height: Int
    var surface: OpaquePointer { surfaceOwner.pointer }
    var cr: OpaquePointer { contextOwner.pointer }

    /// Nothing here destroys on failure: each owner destroys its object once.
    init(width: Int, height: Int) throws(RenderError) {
        surfaceOwner = try CairoSurface(width: width, height: height)
        contextOwner = try CairoContext(on: surfaceOwner)
        self.width = width
        self.height = height
    }

    static func check(_ status: cairo_status_t) throws(RenderError) {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        throw .cairo(status: String(cString: cairo_status_to_string(status)))
    }

    func setColor(_ c: RGBAColor) {
        cairo_set_source_rgba(cr, Double(c.red) / 255, Double(c.green) / 255, Double(c.blue) / 255, Double(c.alpha) / 255)
    }

    func roundedRect(x: Double, y: Double, width w: Double, height h: Double, radius: Double) {
        let r = max(0, min(radius, min(w, h) / 2))
        cairo_new_sub_path(cr)
        cairo_arc(cr, x + w - r, y + r, r, -Double.pi / 2, 0)
        cairo_arc(cr, x + w - r, y + h - r, r, 0, Double.pi / 2)
        cairo_arc(cr, x + r, y + h - r, r, Double.pi / 2, Double.pi)
        cairo_arc(cr, x + r, y + r, r, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(cr)
    }

    /// Draws `image` scaled to fit (aspect kept) and centred in the square at (x, y).
    func draw(_ image: ProductImage, x: Double, y: Double, side: Double, radius: Double) throws(RenderError) {
        guard let source = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(image.width), Int32(image.height)) else {
            throw .cairo(status: "cairo_image_surface_create returned nil")
        }
        defer { cairo_surface_destroy(source) }
        try CairoCanvas.check(cairo_surface_status(source))
        cairo_surface_flush(source)
        let stride = Int(cairo_image_surface_get_stride(source))
        guard let data = cairo_image_surface_get_data(source) else { throw .cairo(status: "no image data") }
        image.pixels.withUnsafeBufferPointer { src in
            for row in 0..<image.height {
                (data + row * stride).update(from: src.baseAddress! + row * image.width * 4, count: image.width * 4)
            }
        }
        cairo_surface_mark_dirty(source)

        let scale = min(side / Double(image.width), side / Double(image.height))
        let drawnW = Double(image.width) * scale
        let drawnH = Double(image.height) * scale
        cairo_save(cr)
        roundedRect(x: x, y: y, width: side, height: side, radius: radius)
        cairo_clip(cr)
        cairo_translate(cr, x + (side - drawnW) / 2, y + (side - drawnH) / 2)
        cairo_scale(cr, scale, scale)
        cairo_set_source_surface(cr, source, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    /// Copies the finished pixels out (premultiplied BGRA, stride = width * 4).
    func pixels() throws(RenderError) -> [UInt8] {
        try CairoCanvas.check(cairo_status(cr))
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { throw .cairo(status: "no surface data") }
        var out = [UInt8](repeating: 0, count: width * height * 4)
        out.withUnsafeMutableBufferPointer { dst in
            for row in 0..<height {
                (dst.baseAddress! + row * width * 4).update(from: data + row * stride, count: width * 4)
            }
        }
        return out
    }
}

/// An image surface, destroyed once. Cairo hands back an error surface rather than NULL when
/// creation fails, and that one must be destroyed too: the status is checked after it is owned.
final class CairoSurface {
    let pointer: OpaquePointer

    init(width: Int, height: Int) throws(RenderError) {
        guard let w = Int32(exactly: width), let h = Int32(exactly: height),
              let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h) else {
            throw .cairo(status: "cairo_image_surface_create \(width)x\(height) failed")
        }
        pointer = surface
        try CairoCanvas.check(cairo_surface_status(surface))
    }

    deinit { cairo_surface_destroy(pointer) }
}

/// A drawing context on a surface, destroyed once; it keeps its surface alive.
final class CairoContext {
    let pointer: OpaquePointer
    private let surface: CairoSurface

    init(on surface: CairoSurface) throws(RenderError) {
        self.surface = surface
        guard let cr = cairo_create(surface.pointer) else { throw .cairo(status: "cairo_create returned nil") }
        pointer = cr
        try CairoCanvas.check(cairo_status(cr))
    }

    deinit { cairo_destroy(pointer) }
}

/// A Pango font map + context owned by one renderer (Pango objects are not thread-safe).
final class PangoFonts {
    let fontMap: UnsafeMutablePointer<PangoFontMap>
    let context: OpaquePointer

    init() {
        fontMap = pango_cairo_font_map_new()
        context = pango_font_map_create_context(fontMap)
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(UnsafeMutableRawPointer(fontMap))
    }
}

/// One laid-out piece of text: a PangoLayout with its font, width limit and ellipsizing.
final class TextBlock {
    let layout: OpaquePointer

    /// `maxWidth` in pixels turns on ellipsizing at the end; `maxLines` caps wrapped lines.
    init(_ text: String, fonts: PangoFonts, family: String, pixelSize: Double, bold: Bool = false,
         maxWidth: Int? = nil, maxLines: Int = 1) {
        layout = pango_layout_new(fonts.context)
        let description = pango_font_description_new()
        pango_font_description_set_family(description, family)
        pango_font_description_set_weight(description, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_absolute_size(description, pixelSize * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        if let maxWidth {
            pango_layout_set_width(layout, Int32(max(1, maxWidth)) * PANGO_SCALE)
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            // A negative height caps the number of lines; the last one is ellipsized.
            pango_layout_set_height(layout, -Int32(max(1, maxLines)))
        }
        if maxLines == 1 { pango_layout_set_single_paragraph_mode(layout, 1) }
        pango_layout_set_text(layout, text, -1)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

    /// Logical size in pixels (the box the text occupies, including line spacing).
    var size: (width: Int, height: Int) {
        var w: Int32 = 0
        var h: Int32 = 0
        pango_layout_get_pixel_size(layout, &w, &h)
        return (Int(w), Int(h))
    }

    /// Glyphs no installed font could provide (drawn as boxes): must stay 0.
    var unknownGlyphs: Int { Int(pango_layout_get_unknown_glyphs_count(layout)) }

    var isEllipsized: Bool { pango_layout_is_ellipsized(layout) != 0 }

    /// True when Pango laid the first paragraph out right to left (Arabic, Hebrew): Pango picks
    /// the direction from the text itself, so viewer text in those scripts reads correctly.
    var isRightToLeft: Bool {
        guard let line = pango_layout_get_line_readonly(layout, 0) else { return false }
        return pango_layout_line_get_resolved_direction(line) == PANGO_DIRECTION_RTL
    }

    func draw(on canvas: CairoCanvas, x: Double, y: Double, color: RGBAColor) {
        canvas.setColor(color)
        cairo_move_to(canvas.cr, x, y)
        pango_cairo_update_layout(canvas.cr, layout)
        pango_cairo_show_layout(canvas.cr, layout)
    }
}
