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
