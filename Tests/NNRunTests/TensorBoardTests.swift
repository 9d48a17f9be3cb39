import Foundation
import Testing
import TensorBoardSchema
@testable import NNRun

/// `--tensorboard`: CRC-32C, TFRecord framing and the Event protos, against TensorBoard's own Python
/// implementation (`pip install tensorboard`; values below printed by the snippets beside them).
@Suite struct TensorBoardTests {
    /// RFC 3720's CRC-32C test vectors, and TensorBoard's masks of them:
    ///
    ///     from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c, crc32c
    ///     for data in [b'123456789', bytes(32), b'\xff' * 32, bytes(range(32))]:
    ///         print(hex(crc32c(data)), hex(masked_crc32c(data)))
    static let vectors: [([UInt8], UInt32, UInt32)] = [
        (Array("123456789".utf8), 0xE306_9283, 0xC78A_B0E5),
        ([UInt8](repeating: 0, count: 32), 0x8A91_36AA, 0x0FD7_FFFA),
        ([UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43, 0xF909_B029),
        ((0 ..< 32).map(UInt8.init), 0x46DD_794E, 0x951F_7892),
    ]

    @Test(arguments: vectors)
    func crc32cMatchesTheStandardVectors(bytes: [UInt8], crc: UInt32, masked: UInt32) {
        #expect(CRC32C.checksum(bytes) == crc)
        #expect(CRC32C.masked(CRC32C.checksum(bytes)) == masked)
    }

    /// TensorBoard's `RecordWriter` framing of b"hello":
    ///
    ///     b = io.BytesIO(); RecordWriter(b).write(b'hello'); print(b.getvalue().hex())
    @Test func recordFramingIsTensorBoards() throws {
        let framed = TensorBoardRecord.framed(Data("hello".utf8))
        #expect(framed.map { String(format: "%02x", $0) }.joined() == "0500000000000000eab2043e68656c6c6fbb1f1c19")
        #expect(try TensorBoardRecord.records(in: framed + framed) == [Data("hello".utf8), Data("hello".utf8)])
        var damaged = framed
        damaged[14] ^= 1
        #expect(throws: TensorBoardRecordError.checksum(offset: 0)) { try TensorBoardRecord.records(in: damaged) }
        #expect(throws: TensorBoardRecordError.truncated(offset: 0)) { try TensorBoardRecord.records(in: framed.dropLast()) }
    }

    /// The writer's events decode with the generated types: the file version first, then one
    /// `train/loss` and `train/lr` scalar per step and the epoch metrics at the epoch's last step.
    @Test func eventsRoundTripThroughTheGeneratedTypes() throws {
        let scratch = try ScratchDirectory()
        let directory = scratch.path("runs/first")
        let writer = try TensorBoardWriter(directory: directory, clock: { 1_700_000_000.5 })
        #expect(URL(fileURLWithPath: writer.path).lastPathComponent.hasPrefix("events.out.tfevents.1700000000."))
        #expect(writer.path.hasSuffix(".\(getpid()).0"))
        for step in 1 ... 2 {
            writer.stepFinished(StepRecord(step: step, totalSteps: 2, epoch: 0, epochs: 1, batch: step - 1, batchesPerEpoch: 2,
                                           samples: 4, loss: Float(step) / 4, learningRate: 0.01))
        }
        writer.epochFinished(EpochRecord(epoch: 0, epochs: 1, step: 2, trainLoss: 0.375,
                                         test: Evaluation(loss: 0.5, correct: 3, samples: 4)))
        try writer.persist()

        let events = try TensorBoardRecord.records(in: Data(contentsOf: URL(fileURLWithPath: writer.path)))
            .map { try Tensorboard_Event(serializedBytes: $0) }
        #expect(events.first?.fileVersion == "brain.Event:2")
        #expect(events.allSatisfy { $0.wallTime == 1_700_000_000.5 })
        let scalars = events.dropFirst().map { ($0.step, $0.summary.value[0].tag, $0.summary.value[0].simpleValue) }
        #expect(scalars.map(\.0) == [1, 1, 2, 2, 2, 2, 2])
        #expect(scalars.map(\.1) == ["train/loss", "train/lr", "train/loss", "train/lr",
                                     "epoch/train_loss", "epoch/test_loss", "epoch/test_accuracy"])
        #expect(scalars.map(\.2) == [0.25, 0.01, 0.5, 0.01, 0.375, 0.5, 0.75])
    }

    /// A failed write stops the run with its reason and keeps the events written before.
    @Test func failedWriteKeepsTheEventsWrittenBefore() throws {
        let (scratch, spec) = try scratchWithSmallSpec()
        let directory = scratch.path("tb")
        let run = runTrain(spec) {
            $0.tensorBoardDirectory = directory; $0.quiet = true
            $0.fileOutput = FailingOutput(failingCall: 2, errno: ENOSPC).output
        }
        #expect(run.status == 1)
        #expect(run.error.contains("--tensorboard: cannot write") && run.error.contains("No space left on device"), "\(run.error)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.count == 1)
        let events = try TensorBoardRecord.records(in: Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(files[0])")))
        #expect(events.count == 1, "the file-version event only")
    }

    /// A path that is a file, not a directory, is refused before training.
    @Test func fileInPlaceOfTheDirectoryIsRefused() throws {
        let (scratch, spec) = try scratchWithSmallSpec()
        let notDirectory = try scratch.write("notes", to: "tb")
        let run = runTrain(spec) { $0.tensorBoardDirectory = notDirectory; $0.quiet = true }
        #expect(run.status == 1)
        #expect(run.error.contains("--tensorboard \(notDirectory): cannot write into \(notDirectory): it is not a directory"), "\(run.error)")
        #expect(try String(contentsOfFile: notDirectory, encoding: .utf8) == "notes")
    }
}
