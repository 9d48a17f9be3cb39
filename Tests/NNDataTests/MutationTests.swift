import Testing
@testable import NNData

/// splitmix64: a seeded generator, so every run tries the same mutations.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `bytes` with one seeded damage: bytes overwritten, cut short, or bytes inserted.
private func mutated(_ bytes: [UInt8], using generator: inout SplitMix) -> [UInt8] {
    var result = bytes
    switch Int.random(in: 0..<3, using: &generator) {
    case 0:
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            result[Int.random(in: 0..<result.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
        }
    case 1:
        result.removeLast(Int.random(in: 1...result.count, using: &generator))
    default:
        let insertion = (0..<Int.random(in: 1...8, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        result.insert(contentsOf: insertion, at: Int.random(in: 0...result.count, using: &generator))
    }
    return result
}

/// Damaged files give a `DataFileError` naming the file, or (when the damage is harmless) data;
/// never a crash or another error.
@Suite struct MutationTests {
    private func expectReadOrNamedError(_ path: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch let error as DataFileError {
            #expect(error.path == path && error.description.hasPrefix(path))
        } catch {
            Issue.record("\(path): unexpected error \(error)")
        }
    }

    @Test(arguments: [false, true])
    func damagedIDXFiles(compressed: Bool) throws {
        let directory = try TemporaryDirectory()
        var plain = IDXHeader(dataType: .int16, dimensions: [6, 5, 4]).encoded()
        plain += (0..<240).map { UInt8(($0 * 37) % 256) }
        let original = compressed ? try DataFileWriter.gzipCompressed(plain, path: "x.gz") : plain
        var generator = SplitMix(state: compressed ? 1 : 2)
        for trial in 0..<300 {
            let path = try directory.write(mutated(original, using: &generator), to: "m\(trial)\(compressed ? ".gz" : "")")
            expectReadOrNamedError(path) { _ = try IDXFile.readHeader(path: path) }
            expectReadOrNamedError(path) { _ = try IDXFile.read(path: path) }
        }
    }

    @Test func damagedCSVFiles() throws {
        let directory = try TemporaryDirectory()
        let original = Array("a,\"b c\",label\n1.5,2,0\n-3,4e1,1\n\n5,6,2\n".utf8)
        var generator = SplitMix(state: 3)
        for trial in 0..<300 {
            let path = try directory.write(mutated(original, using: &generator), to: "m\(trial).csv")
            expectReadOrNamedError(path) { _ = try CSVFile.readHeader(path: path, hasHeader: true) }
            expectReadOrNamedError(path) { _ = try CSVFile.read(path: path, hasHeader: true) }
        }
    }
}
