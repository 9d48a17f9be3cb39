import Foundation

/// Runs `count` independent jobs on up to `jobs` threads and hands their results to `report` in
/// index order, each as soon as it and all before it are done: parallel work, deterministic output.
struct OrderedParallelMap: Sendable {
    let count: Int
    let jobs: Int

    init(count: Int, jobs: Int) {
        self.count = count
        self.jobs = max(1, min(jobs, count))
    }

    func run<Result: Sendable>(_ work: @Sendable (Int) -> Result, report: @Sendable (Result) -> Void) -> [Result] {
        let state = State<Result>(count: count)
        withoutActuallyEscaping(work) { work in
            withoutActuallyEscaping(report) { report in
                let group = DispatchGroup()
                for _ in 0..<jobs {
                    DispatchQueue.global().async(group: group) {
                        while let index = state.nextIndex() {
                            state.store(work(index), at: index, report: report)
                        }
                    }
                }
                group.wait()
            }
        }
        return state.results()
    }

    /// The shared queue position and results, behind one lock.
    private final class State<Result: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var reported = 0
        private var slots: [Result?]

        init(count: Int) {
            slots = Array(repeating: nil, count: count)
        }

        func nextIndex() -> Int? {
            lock.withLock {
                guard next < slots.count else { return nil }
                defer { next += 1 }
                return next
            }
        }

        /// Stores a result and reports every result now ready in order (under the lock, so reports never interleave).
        func store(_ result: Result, at index: Int, report: (Result) -> Void) {
            lock.withLock {
                slots[index] = result
                while reported < slots.count, let ready = slots[reported] {
                    report(ready)
                    reported += 1
                }
            }
        }

        func results() -> [Result] {
            lock.withLock { slots.compactMap { $0 } }
        }
    }
}
