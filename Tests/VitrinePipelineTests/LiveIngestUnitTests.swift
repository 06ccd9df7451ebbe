// The live job's pure parts: the inbox's drop-whole-GOPs policy and the timeline re-basing.
import Testing
@testable import VitrinePipeline

@Suite struct LiveInboxPolicyTests {
    @Test func dropsFromFullUntilTheNextKeyframeOnceDrained() {
        var policy = LiveInboxPolicy(capacity: 4)
        #expect(policy.offer(isVideo: true, isKeyframe: false, isSequenceHeader: true) == .admit)
        for _ in 0 ..< 3 { #expect(policy.offer(isVideo: true, isKeyframe: false, isSequenceHeader: false) == .admit) }
        #expect(policy.offer(isVideo: true, isKeyframe: false, isSequenceHeader: false) == .startDropping)
        #expect(policy.offer(isVideo: false, isKeyframe: true, isSequenceHeader: false) == .drop, "audio never ends a drop when there is video")
        // A keyframe while still full is dropped too: the job has not caught up.
        #expect(policy.offer(isVideo: true, isKeyframe: true, isSequenceHeader: false) == .drop)
        for _ in 0 ..< 3 { policy.done() }
        #expect(policy.offer(isVideo: true, isKeyframe: false, isSequenceHeader: false) == .drop, "mid-GOP")
        #expect(policy.offer(isVideo: true, isKeyframe: true, isSequenceHeader: false) == .admit)
        #expect(policy.droppedGOPs == 1)
        #expect(policy.droppedUnits == 4)
    }

    @Test func sequenceHeadersAlwaysPass() {
        var policy = LiveInboxPolicy(capacity: 2)
        _ = policy.offer(isVideo: true, isKeyframe: false, isSequenceHeader: false)
        _ = policy.offer(isVideo: true, isKeyframe: false, isSequenceHeader: false)
        #expect(policy.offer(isVideo: true, isKeyframe: false, isSequenceHeader: false) == .startDropping)
        #expect(policy.offer(isVideo: true, isKeyframe: false, isSequenceHeader: true) == .admit)
    }

    /// Few but huge units (each up to the 10 MiB message cap) fill the inbox by bytes: with a
    /// 4 MiB bound the fourth 1 MiB unit starts a drop though 1000 units would fit, and the drop
    /// ends on a keyframe that leaves the bytes at most half the bound.
    @Test func boundedInBytesNotOnlyUnits() {
        let mib = 1 << 20
        var policy = LiveInboxPolicy(capacity: 1000, capacityBytes: 4 * mib)
        #expect(policy.offer(isVideo: true, isKeyframe: false, isSequenceHeader: true, bytes: 40) == .admit)
        for _ in 0 ..< 3 { #expect(policy.offer(isVideo: true, isKeyframe: true, isSequenceHeader: false, bytes: mib) == .admit) }
        #expect(policy.offer(isVideo: true, isKeyframe: true, isSequenceHeader: false, bytes: mib + 1) == .startDropping)
        #expect(policy.pendingBytes == 3 * mib + 40)
        policy.done(bytes: mib)
        policy.done(bytes: mib)
        #expect(policy.offer(isVideo: true, isKeyframe: true, isSequenceHeader: false, bytes: mib) == .drop, "with it, over half the bytes")
        policy.done(bytes: mib)
        #expect(policy.offer(isVideo: true, isKeyframe: true, isSequenceHeader: false, bytes: mib) == .admit)
    }

    @Test func audioOnlyResumesOnAnyFrame() {
        var policy = LiveInboxPolicy(capacity: 2)
        _ = policy.offer(isVideo: false, isKeyframe: true, isSequenceHeader: false)
        _ = policy.offer(isVideo: false, isKeyframe: true, isSequenceHeader: false)
        #expect(policy.offer(isVideo: false, isKeyframe: true, isSequenceHeader: false) == .startDropping)
        policy.done()
        policy.done()
        #expect(policy.offer(isVideo: false, isKeyframe: true, isSequenceHeader: false) == .admit)
    }
}

@Suite struct LiveTimelineTests {
    @Test func startsAtTheFirstKeyframeAndRebasesBackwardJumps() {
        var timeline = LiveTimeline()
        timeline.start(at: 5_000)
        #expect(timeline.place(isVideo: true, dts: 5_000, pts: 5_066, discontinuity: false) == (0, 66))
        #expect(timeline.place(isVideo: false, dts: 4_990, pts: 4_990, discontinuity: false) == (-10, -10))
        #expect(timeline.place(isVideo: true, dts: 6_000, pts: 6_000, discontinuity: false) == (1_000, 1_000))
        // The publisher's clock restarts at 0: each track continues one step after the latest stamp.
        #expect(timeline.place(isVideo: true, dts: 0, pts: 33, discontinuity: true) == (1_033, 1_066))
        #expect(timeline.place(isVideo: false, dts: 10, pts: 10, discontinuity: true) == (1_066, 1_066))
        #expect(timeline.place(isVideo: true, dts: 33, pts: 66, discontinuity: false) == (1_066, 1_099))
        #expect(timeline.rebases == 2)
    }
}
