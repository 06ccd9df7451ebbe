// A supervisor reads frames of up to 16 MiB from each job process, on a thread per process. With
// glibc's default, the first large buffer freed raises the mmap threshold past it, and the later
// ones are carved from that thread's arena and never returned: serve grew by 190 MiB for good
// after one hostile child sent 48 frames of 8 MiB (Benchmarks/chaos-hostile.sh). Fixing the
// threshold at 1 MiB keeps every large buffer an mmap of its own, unmapped when freed.
import CJobProcess

public enum LargeBuffers {
    public static func returnToTheSystem() {
        _ = vitrine_mmap_large_buffers(1 << 20)
    }
}
