// OriginPath and ByteRange: what a URL may name, and which ranges are honoured.
import Testing
import VitrinePipeline
@testable import VitrineServer

struct OriginPathTests {
    static let id = "AbCdEfGh_-123456"

    @Test func acceptsWhatVitrineWrites() {
        #expect(OriginPath(target: "/hls/\(Self.id)/master.m3u8")?.kind == .master)
        #expect(OriginPath(target: "/hls/\(Self.id)/720p/index.m3u8")?.kind == .mediaPlaylist(rendition: "720p"))
        #expect(OriginPath(target: "/hls/\(Self.id)/360p_800k/seg_00042.ts")?.kind == .segment(rendition: "360p_800k", file: "seg_00042.ts"))
        #expect(OriginPath(target: "/hls/\(Self.id)/audio/seg_123456.m4s")?.kind == .segment(rendition: "audio", file: "seg_123456.m4s"))
        #expect(OriginPath(target: "/hls/\(Self.id)/480p/init.mp4")?.kind == .initSegment(rendition: "480p", file: "init.mp4"))
        #expect(OriginPath(target: "/hls/\(Self.id)/480p/init-0a1b2c3d.mp4")?.kind == .initSegment(rendition: "480p", file: "init-0a1b2c3d.mp4"))
        for bad in ["init-0A1B2C3D.mp4", "init-0a1b2c3.mp4", "init-0a1b2c3dd.mp4", "init-.mp4", "init.mp4.tmp", "init-0a1b2c3g.mp4"] {
            #expect(OriginPath(target: "/hls/\(Self.id)/480p/\(bad)") == nil, "\(bad)")
        }
        #expect(OriginPath(target: "/hls/\(Self.id)/480p/seg_00012.3.m4s")?.kind == .segment(rendition: "480p", file: "seg_00012.3.m4s"))
        #expect(HLSFileNames.isPartName("seg_00012.3.m4s") && !HLSFileNames.isPartName("seg_00012.m4s"))
        for bad in ["seg_00012..m4s", "seg_00012.3.ts", "seg_00012.1234.m4s", "seg_00012.x.m4s", "seg_0001.3.m4s", "seg_00012.3.4.m4s"] {
            #expect(OriginPath(target: "/hls/\(Self.id)/480p/\(bad)") == nil, "\(bad)")
        }
        #expect(OriginPath(target: "/hls/\(Self.id)/\(Self.id).mp4")?.kind == .download(file: "\(Self.id).mp4"))
        #expect(OriginPath(target: "/hls/\(Self.id)/\(Self.id).mp4?x=1")?.relativePath == "\(Self.id)/\(Self.id).mp4")
        #expect(OriginPath(target: "/hls/\(Self.id)/720p/index.m3u8?_HLS_msn=3")?.relativePath == "\(Self.id)/720p/index.m3u8")
    }

    @Test(arguments: [
        "/hls/../keys.json", "/hls/%2e%2e/keys.json", "/hls/\(id)/../../keys.json", "/hls/\(id)/720p/../../../keys.json",
        "/hls/\(id)/720p/.seg_00001.ts.tmp", "/hls/\(id)/.master.m3u8.tmp", "/hls/\(id)/720p/seg_00001.ts%00",
        "/hls/\(id)/720p/seg_00001.ts\u{0}", "/hls/\(id)/%2e%2e/index.m3u8", "/hls/\(id)//index.m3u8",
        "/hls/\(id)/720p/index.m3u8/", "/hls/\(id)/720P/index.m3u8", "/hls/\(id)/720p/seg_1.ts", "/hls/\(id)/720p/seg_00001.mp4",
        "/hls/\(id)/720p/keys.json", "/hls/\(id)/keys.json", "/hls/short/master.m3u8", "/hls/\(id)x/master.m3u8",
        "/hls/\(id)/master.m3u8/..", "/HLS/\(id)/master.m3u8", "hls/\(id)/master.m3u8", "/hls/\(id)/720p%2findex.m3u8",
        "/hls/\(id)/_x/index.m3u8", "/hls/\(id)/720p/seg_00001.ts.tmp",
        "/hls/\(id)/ZyXwVuTs_-654321.mp4", "/hls/\(id)/\(id).MP4", "/hls/\(id)/.\(id).mp4", "/hls/\(id)/720p/\(id).mp4",
    ])
    func refusesEverythingElse(_ target: String) {
        #expect(OriginPath(target: target) == nil)
    }

    @Test func deliveryDirectivesAreBoundedBeforeUse() throws {
        #expect(try DeliveryDirectives(target: "/x/index.m3u8?_HLS_msn=12&_HLS_part=3") == DeliveryDirectives(msn: 12, part: 3, skip: nil))
        #expect(try DeliveryDirectives(target: "/x/index.m3u8?_HLS_msn=12&_HLS_skip=YES").skip == "YES")
        #expect(try DeliveryDirectives(target: "/x/index.m3u8").msn == nil)
        for bad in ["_HLS_part=1", "_HLS_msn=-1", "_HLS_msn=1234567890", "_HLS_msn=", "_HLS_msn=1&_HLS_part=x", "_HLS_msn=1&_HLS_skip=no"] {
            #expect(throws: DeliveryDirectives.Invalid.self) { try DeliveryDirectives(target: "/x/index.m3u8?\(bad)") }
        }
    }

    @Test func byteRanges() {
        #expect(ByteRange(header: "bytes=0-99", size: 1000) == .satisfiable(0...99))
        #expect(ByteRange(header: "bytes=900-", size: 1000) == .satisfiable(900...999))
        #expect(ByteRange(header: "bytes=-100", size: 1000) == .satisfiable(900...999))
        #expect(ByteRange(header: "bytes=-5000", size: 1000) == .satisfiable(0...999))
        #expect(ByteRange(header: "bytes=990-2000", size: 1000) == .satisfiable(990...999))
        #expect(ByteRange(header: "bytes=1000-", size: 1000) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=-0", size: 1000) == .unsatisfiable)
        #expect(ByteRange(header: "bytes=5-1", size: 1000) == .ignored)
        #expect(ByteRange(header: "bytes=0-1,5-6", size: 1000) == .ignored)
        #expect(ByteRange(header: "items=0-1", size: 1000) == .ignored)
        #expect(ByteRange(header: "bytes=99999999999999999999-", size: 1000) == .ignored)
        #expect(ByteRange(header: nil, size: 1000) == .ignored)
    }
}
