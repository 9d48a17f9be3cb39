import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hostile input through the built binary: usage errors exit 64, a spec that once crashed the
/// validator exits 1, a FIFO among the specs of `nnspec test` is one FAIL line, and files out of
/// a spec's tree need `--allow-outside`.
@Suite struct SafetyCommandLineTests {
    /// A fresh directory with `project/` inside, removed afterwards.
    final class Tree {
        let root: URL
        init() throws {
            root = FileManager.default.temporaryDirectory.appending(path: "nnspec-safety-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appending(path: "project/specs"), withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: root) }
        func write(_ text: String, to relative: String) throws {
            try Data(text.utf8).write(to: root.appending(path: relative))
        }
    }

    @Test(arguments: ["100000", "0", "-3"])
    func threadsOutsideTheirRangeAreAUsageError(threads: String) throws {
        let run = try NNSpecBinary.run(["train", "examples/lenet.yaml", "--threads=\(threads)"])
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix("Error: --threads must be 1 to 256, not \(threads)\n"))
        #expect(run.standardOutput.isEmpty)
    }

    @Test(arguments: ["validate", "summary"])
    func anOverflowingDivisionIsAnErrorNotACrash(command: String) throws {
        let tree = try Tree()
        try tree.write("""
            nnspec: 1
            input: [N, 4]
            layers:
              - {type: Linear, in_features: 4, out_features: (-9223372036854775807-1)/-1}

            """, to: "project/overflow.yaml")
        let run = try NNSpecBinary.run([command, "overflow.yaml"], in: tree.root.appending(path: "project"))
        #expect(run.status == 1)
        #expect(run.standardOutput.hasPrefix(
            "overflow.yaml:4:74: error: layer 0 (Linear) out_features: '(-9223372036854775807-1)/-1' overflows a 64-bit integer\n"))
    }

    @Test(.timeLimit(.minutes(2)))
    func aFIFOAmongTheSpecsIsOneFailLine() throws {
        let tree = try Tree()
        try tree.write("nnspec: 1\ninput: [N, 4]\nlayers: [ReLU]\n", to: "project/specs/good.yaml")
        #expect(mkfifo(tree.root.appending(path: "project/specs/pipe.yaml").path, 0o600) == 0)
        let run = try NNSpecBinary.run(["test", "specs"], in: tree.root.appending(path: "project"))
        #expect(run.status == 1)
        #expect(run.standardOutput == """
            PASS specs/good.yaml
            FAIL specs/pipe.yaml
              specs/pipe.yaml: expected no error in the file as a whole, but saw: cannot read the spec: cannot read it: it is a FIFO, not a regular file
            1 passed, 1 failed

            """)
    }

    @Test func dataOutsideTheTreeNeedsAllowOutside() throws {
        let tree = try Tree()
        try tree.write("API_KEY=sk-live-123456,1\n", to: "secret.txt")
        try tree.write("""
            nnspec: 1
            input: [N, 1]
            layers:
              - {type: Linear, in_features: 1, out_features: 2}
            loss: CrossEntropyLoss
            optimizer: {type: SGD, lr: 0.1}
            data:
              train: {source: csv, path: ../../secret.txt}

            """, to: "project/specs/steal.yaml")
        let project = tree.root.appending(path: "project")
        let refused = try NNSpecBinary.run(["train", "specs/steal.yaml"], in: project)
        #expect(refused.status == 1)
        #expect(refused.standardError.hasPrefix("""
            specs/steal.yaml:8:30: error: data train path ../../secret.txt lies outside the spec's directory and the working directory, so nnspec does not use it
            """))
        #expect(!refused.standardError.contains("sk-live"))
        let allowed = try NNSpecBinary.run(["train", "specs/steal.yaml", "--allow-outside"], in: project)
        #expect(allowed.status == 1)
        #expect(allowed.standardError.contains("field 1 (22 characters, not quoted) is not a finite number"))
        #expect(!allowed.standardError.contains("sk-live"))
        let validated = try NNSpecBinary.run(["validate", "specs/steal.yaml", "--allow-outside"], in: project)
        #expect(validated.status == 0, "\(validated.standardOutput)")
    }
}
