/// Stops the process when a property every input must have does not hold, so that libFuzzer saves
/// the input as a crash: a silently wrong answer is a finding like a trap.
public func invariant(_ holds: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !holds { fatalError("invariant broken: \(message())", file: file, line: line) }
}
