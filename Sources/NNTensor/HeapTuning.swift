/// Process-wide allocator settings for training loops, called once by the executable.
public enum HeapTuning {
    /// Keeps freed tensor storage in the heap for the next step instead of returning it to the
    /// system. glibc serves blocks over its mmap threshold (128 KiB at first) with fresh mappings and
    /// trims the heap top on free, so every step of a batch-64 LeNet re-faulted and re-zeroed its
    /// megabyte-sized activations: a third of the step's CPU time. With both thresholds raised, a
    /// steady-state step reuses the memory the previous one freed. No effect outside glibc.
    public static func keepFreedMemoryForReuse() {
        #if os(Linux) && canImport(Glibc)
        _ = glibcMallopt(glibcMmapThreshold, 256 << 20)
        _ = glibcMallopt(glibcTrimThreshold, 1 << 30)
        #endif
    }
}

#if os(Linux) && canImport(Glibc)
/// glibc's `int mallopt(int param, int value)` from <malloc.h>, which the Glibc module does not export.
@_silgen_name("mallopt") private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// <malloc.h>: M_TRIM_THRESHOLD and M_MMAP_THRESHOLD.
private let glibcTrimThreshold: Int32 = -1, glibcMmapThreshold: Int32 = -3
#endif
