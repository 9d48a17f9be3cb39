import Foundation
import Testing
@testable import NNRun

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command line's one console: the colour decision (`--color`, a terminal, `NO_COLOR`, `TERM`)
/// and the standard streams it writes through.
@Suite struct ConsoleTests {
    /// (choice, stream is a terminal, environment) → colour.
    @Test(arguments: [
        (ColorChoice.auto, true, [:], true),
        (.auto, false, [:], false),
        (.auto, true, ["TERM": "xterm-256color"], true),
        (.auto, true, ["NO_COLOR": "1"], false),
        (.auto, true, ["NO_COLOR": ""], true),
        (.auto, true, ["TERM": "dumb"], false),
        (.auto, true, ["NO_COLOR": "", "TERM": "dumb"], false),
        (.always, false, [:], true),
        (.always, false, ["NO_COLOR": "1", "TERM": "dumb"], true),
        (.never, true, [:], false),
        (.never, true, ["TERM": "xterm"], false),
    ] as [(ColorChoice, Bool, [String: String], Bool)])
    func colorDecisionTable(choice: ColorChoice, terminal: Bool, environment: [String: String], colors: Bool) {
        #expect(choice.colors(terminal: terminal, environment: environment) == colors)
    }

    @Test func standardConsoleDecidesEachStreamAlone() {
        let auto = Console.standard(color: .auto, environment: [:])
        #expect(auto.colorsOutput == auto.isTerminal)
        #expect(auto.colorsError == StandardStream.error.isTerminal)
        let always = Console.standard(color: .always, environment: ["NO_COLOR": "1"])
        #expect(always.colorsOutput && always.colorsError)
        let never = Console.standard(color: .never, environment: [:])
        #expect(!never.colorsOutput && !never.colorsError)
    }

    @Test func aPseudoTerminalIsATerminalAndAPipeIsNot() throws {
        let primary = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try #require(primary >= 0)
        defer { close(primary) }
        try #require(grantPseudoTerminal(primary) == 0 && unlockPseudoTerminal(primary) == 0)
        let name = try #require(pseudoTerminalName(primary))
        let secondary = open(String(cString: name), O_RDWR | O_NOCTTY)
        try #require(secondary >= 0)
        defer { close(secondary) }
        #expect(StandardStream(fileDescriptor: secondary).isTerminal)
        let pipe = Pipe()
        #expect(!StandardStream(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor).isTerminal)
    }

    @Test func aStreamGetsEveryByteOfALongText() async throws {
        let pipe = Pipe()
        let text = String(repeating: "0123456789abcdé\n", count: 40_000)  // larger than a pipe's buffer
        let reader = Task { pipe.fileHandleForReading.readDataToEndOfFile() }
        StandardStream(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor).write(text)
        try pipe.fileHandleForWriting.close()
        let received = String(decoding: await reader.value, as: UTF8.self)
        #expect(received == text)
    }

    @Test func aClosedReaderEndsTheWritingQuietly() throws {
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        StandardStream(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor).write("nobody reads this\n")
        try pipe.fileHandleForWriting.close()
    }
}

/// <stdlib.h>'s pseudo-terminal calls, which the Glibc module does not export.
@_silgen_name("grantpt") private func grantPseudoTerminal(_ descriptor: Int32) -> Int32
@_silgen_name("unlockpt") private func unlockPseudoTerminal(_ descriptor: Int32) -> Int32
@_silgen_name("ptsname") private func pseudoTerminalName(_ descriptor: Int32) -> UnsafeMutablePointer<CChar>?
