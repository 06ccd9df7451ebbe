import Foundation
import Testing
@testable import VitrineHLS

struct PlaylistTests {
    @Test func mediaPlaylistRendersVOD() {
        let playlist = MediaPlaylist(kind: .vod, version: 3, segments: [
            .init(uri: "seg_00000.ts", duration: 2.0), .init(uri: "seg_00001.ts", duration: 2.5),
            .init(uri: "seg_00002.ts", duration: 0.4),
        ], ended: true)
        #expect(playlist.render() == """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:3
        #EXT-X-MEDIA-SEQUENCE:0
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXTINF:2.000000,
        seg_00000.ts
        #EXTINF:2.500000,
        seg_00001.ts
        #EXTINF:0.400000,
        seg_00002.ts
        #EXT-X-ENDLIST

        """)
    }

    @Test func fmp4PlaylistHasMap() {
        let text = MediaPlaylist(kind: .vod, version: 7, mapURI: "init.mp4", segments: [.init(uri: "seg_00000.m4s", duration: 2.002)], ended: true).render()
        #expect(text.contains("#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2.002000,\nseg_00000.m4s\n"))
        #expect(text.contains("#EXT-X-TARGETDURATION:2\n"))
    }

    @Test func masterPlaylistRendersVariants() {
        let master = MasterPlaylist(version: 3, variants: [
            .init(bandwidth: 3_200_000, averageBandwidth: 2_900_000, width: 1280, height: 720, frameRate: 29.97,
                  codecs: ["avc1.64001f", "mp4a.40.2"], uri: "720p/index.m3u8"),
            .init(bandwidth: 140_000, averageBandwidth: 130_000, width: nil, height: nil, frameRate: nil,
                  codecs: ["mp4a.40.2"], uri: "audio/index.m3u8"),
        ])
        #expect(master.render() == """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-STREAM-INF:BANDWIDTH=3200000,AVERAGE-BANDWIDTH=2900000,RESOLUTION=1280x720,FRAME-RATE=29.970,CODECS="avc1.64001f,mp4a.40.2"
        720p/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=140000,AVERAGE-BANDWIDTH=130000,CODECS="mp4a.40.2"
        audio/index.m3u8

        """)
    }

    @Test func codecStringFromAnnexBAndAvcC() {
        let annexB: [UInt8] = [0, 0, 0, 1, 0x09, 0xF0, 0, 0, 0, 1, 0x67, 0x64, 0x00, 0x1F, 0xAC]
        #expect(CodecString.avc1(fromH264: annexB) == "avc1.64001f")
        let avcC: [UInt8] = [1, 0x4D, 0x40, 0x1E, 0xFF, 0xE1]
        #expect(CodecString.avc1(fromH264: avcC) == "avc1.4d401e")
        #expect(CodecString.avc1(fromH264: [0, 0, 1, 0x65, 1, 2, 3, 4]) == nil)
    }
}

struct TimedMetadataTests {
    @Test func programDateTimeAndDateRangeRender() {
        let origin = Date(timeIntervalSince1970: 1_790_000_000)
        let card = DateRange(id: "card-1", classification: "com.vitrine.card", startDate: origin.addingTimeInterval(1.5), duration: 4,
                             clientAttributes: [("PRODUCT-ID", "SKU-42"), ("PRICE", "19.99"), ("CURRENCY", "EUR")])
        let playlist = MediaPlaylist(kind: .live, version: 3, mediaSequence: 7, discontinuitySequence: 2, segments: [
            .init(uri: "seg_00007.ts", duration: 2, discontinuity: true, programDateTime: origin),
        ], dateRanges: [card], ended: false)
        #expect(playlist.render() == """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:7
        #EXT-X-DISCONTINUITY-SEQUENCE:2
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-DATERANGE:ID="card-1",CLASS="com.vitrine.card",START-DATE="2026-09-21T14:13:21.500Z",DURATION=4.000,X-PRODUCT-ID="SKU-42",X-PRICE="19.99",X-CURRENCY="EUR"
        #EXT-X-DISCONTINUITY
        #EXT-X-PROGRAM-DATE-TIME:2026-09-21T14:13:20.000Z
        #EXTINF:2.000000,
        seg_00007.ts

        """)
    }

    @Test func quotedValuesDropQuotesAndLineBreaks() {
        #expect(DateRange.quoted("a\"b\nc") == "\"abc\"")
    }
}
