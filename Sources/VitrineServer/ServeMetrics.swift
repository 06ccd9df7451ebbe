// What `vitrine serve` measures, through swift-metrics with the Prometheus backend, served as
// text at /metrics. The factory is passed to each metric instead of bootstrapping the global
// MetricsSystem, so route tests can make as many instances as they like.
//
// Counters and histograms are fed as things happen (HTTP requests, bytes received, segments
// listed, card changes applied); the per-job gauges are refreshed from the running jobs at each
// scrape, so a finished job's series disappear with it.
import CoreMetrics
import Foundation
import Prometheus
import VitrinePipeline

public final class ServeMetrics: @unchecked Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let lock = NSLock()
    private var requestCounters: [String: CoreMetrics.Counter] = [:]
    private var jobGauges: [String: CoreMetrics.Gauge] = [:]
    private var liveSeries: Set<String> = []
    public let bytesReceived: CoreMetrics.Counter
    public let cardApplyDelay: CoreMetrics.Timer
    public let segmentPublishLag: CoreMetrics.Timer

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Card changes should land within a few frames; segments within a segment duration.
        factory.durationHistogramBuckets["vitrine_card_apply_delay_seconds"] =
            [0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5].map { Duration.milliseconds(Int($0 * 1000)) }
        factory.durationHistogramBuckets["vitrine_segment_publish_lag_seconds"] =
            [0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 10].map { Duration.milliseconds(Int($0 * 1000)) }
        self.factory = factory
        bytesReceived = CoreMetrics.Counter(label: "vitrine_rtmp_received_bytes_total", factory: factory)
        cardApplyDelay = CoreMetrics.Timer(label: "vitrine_card_apply_delay_seconds", factory: factory)
        segmentPublishLag = CoreMetrics.Timer(label: "vitrine_segment_publish_lag_seconds", factory: factory)
    }

    /// One HTTP answer, by route pattern (never the raw URL: ids would explode the series).
    func request(route: String, status: Int) {
        let key = "\(route) \(status)"
        let counter = lock.withLock { () -> CoreMetrics.Counter in
            if let counter = requestCounters[key] { return counter }
            let counter = CoreMetrics.Counter(label: "vitrine_http_requests_total",
                                              dimensions: [("route", route), ("status", "\(status)")], factory: factory)
            requestCounters[key] = counter
            return counter
        }
        counter.increment()
    }

    /// A snapshot of the running jobs, written as gauges just before a scrape.
    struct Snapshot {
        var running = 0
        var queued = 0
        var publishers = 0
        /// Frames decoded per running live job.
        var framesIn: [(job: String, frames: Int)] = []
        var renditions: [(job: String, progress: RenditionProgress)] = []
    }

    /// The Prometheus text for a scrape of `snapshot`.
    func render(_ snapshot: Snapshot) -> String {
        lock.withLock {
            var seen: Set<String> = []
            func gauge(_ label: String, _ dimensions: [(String, String)], _ value: Double) {
                let key = label + dimensions.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
                seen.insert(key)
                let gauge = jobGauges[key] ?? CoreMetrics.Gauge(label: label, dimensions: dimensions, factory: factory)
                jobGauges[key] = gauge
                gauge.record(value)
            }
            gauge("vitrine_jobs", [("state", "running")], Double(snapshot.running))
            gauge("vitrine_jobs", [("state", "queued")], Double(snapshot.queued))
            gauge("vitrine_rtmp_publishers", [], Double(snapshot.publishers))
            for entry in snapshot.framesIn { gauge("vitrine_frames_decoded", [("job", entry.job)], Double(entry.frames)) }
            for (job, r) in snapshot.renditions {
                let labels = [("job", job), ("rendition", r.name)]
                gauge("vitrine_frames_encoded", labels, Double(r.framesEncoded))
                gauge("vitrine_frames_dropped", labels, Double(r.framesDropped))
                gauge("vitrine_encode_fps", labels, r.encodeFramesPerSecond)
            }
            // Series of jobs that ended: removed, so dashboards do not show them frozen.
            for key in liveSeries.subtracting(seen) {
                jobGauges.removeValue(forKey: key)?.destroy()
            }
            liveSeries = seen
            return registry.emitToString()
        }
    }
}
