import Dispatch
import Foundation

/// A request to stop after the current step, raised by SIGINT (Ctrl-C) or by code.
///
/// `raise()` may come from any thread (the signal source's queue); the training loop reads
/// `isRaised` between steps. A second SIGINT while the first is being honoured ends the process
/// at once, as the shell's default would.
public final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var signalSource: DispatchSourceSignal?

    public init() {}

    public var isRaised: Bool { lock.withLock { raised } }

    /// Raises the flag; returns whether it was already raised.
    @discardableResult
    public func raise() -> Bool {
        lock.withLock {
            defer { raised = true }
            return raised
        }
    }

    /// Routes SIGINT to this flag for the rest of the process; `onFirst` runs (on a background
    /// queue) when the first one arrives.
    public func handleInterruptSignal(onFirst: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "nnspec.sigint"))
        source.setEventHandler { [weak self] in
            guard let self else { return }
            if self.raise() {
                signal(SIGINT, SIG_DFL)
                Foundation.raise(SIGINT)
            } else {
                onFirst()
            }
        }
        source.resume()
        lock.withLock { signalSource = source }
    }
}
