import Testing
@testable import VitrineStore

@Suite struct JobStateTests {
    @Test func onlyEndedStatesAreFinal() {
        #expect(JobState.allCases.filter(\.isFinal) == [.succeeded, .failed, .cancelled])
    }
}
