// The memory-served HLS of one show stays within its byte budget: a put past it is refused and
// the path's older copy leaves memory (the origin then serves the file on disk); other shows'
// budgets are their own; removing and dropping segments give the bytes back.
import Foundation
import Testing
@testable import VitrinePipeline

struct LiveHLSMemoryBudgetTests {
    @Test func aShowsFilesStayWithinItsBudget() {
        let memory = LiveHLSMemory()
        let mib = [UInt8](repeating: 1, count: 1 << 20)
        for index in 0..<48 {
            _ = memory.apply(.put("AAAA/240p/seg_\(String(format: "%05d", index)).m4s", mib), budget: 8 << 20)
        }
        #expect(memory.byteCount(stream: "AAAA") == 8 << 20)
        #expect(memory.byteCount == 8 << 20)
        // Another show has a budget of its own.
        #expect(memory.apply(.put("BBBB/240p/seg_00000.m4s", mib), budget: 8 << 20))
        // Replacing a file counts only the difference; a refused replacement drops the stale copy.
        #expect(memory.apply(.put("AAAA/240p/seg_00000.m4s", [1]), budget: 8 << 20))
        #expect(!memory.apply(.put("AAAA/240p/seg_00001.m4s", [UInt8](repeating: 1, count: 3 << 20)), budget: 8 << 20))
        #expect(memory.entry("AAAA/240p/seg_00001.m4s") == nil)
        #expect(memory.byteCount(stream: "AAAA") == (6 << 20) + 1)
        memory.apply(.dropSegments("AAAA/240p/"))
        #expect(memory.byteCount(stream: "AAAA") == 0 && memory.byteCount(stream: "BBBB") == 1 << 20)
        memory.apply(.remove("BBBB/240p/seg_00000.m4s"))
        #expect(memory.byteCount == 0)
    }
}
