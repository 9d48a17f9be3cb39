import Foundation
import NNTensor
import Testing
@testable import NNRun

/// Runs `nnspec eval` in process; returns the exit status and the captured text.
func runEval(_ spec: String, _ options: EvalOptions) -> (status: Int32, output: String, error: String) {
    let captured = CapturedConsole()
    let status = EvalSession.run(file: spec, options: options, console: captured.console())
    return (status, captured.output, captured.error)
}

/// `nnspec eval` on the shipped digits: the loss and accuracy `train` reports, and the metrics
/// that only eval gives, consistent with each other.
@Suite struct EvalTests {
    @Test func lossAndAccuracyAreTrainsTestEvaluation() throws {
        let scratch = try ScratchDirectory()
        let spec = repositoryRoot.appendingPathComponent("specs/training/digits-mlp.yaml").path
        let weights = scratch.path("w.safetensors")
        let train = runTrain(spec) { $0.saveWeights = weights; $0.quiet = true }
        let run = runEval(spec, EvalOptions(weights: weights))
        #expect(run.status == 0, "\(run.error)")
        // train's last line of test metrics, e.g. "test loss 0.3016, accuracy 91.67% (330/360)".
        let trainLine = try #require(train.output.split(separator: "\n").last { $0.hasPrefix("test loss ") })
        let loss = trainLine.split(separator: ",")[0].dropFirst("test loss ".count)
        let accuracy = trainLine.split(separator: ", accuracy ")[1]
        let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "DigitsMLP on the test split (360 samples), weights \(weights)")
        #expect(lines[1] == "loss \(loss) (CrossEntropyLoss, reduction mean, over all samples)")
        #expect(lines[2] == "top-1 accuracy \(accuracy)")
        #expect(lines[3].hasPrefix("top-5 accuracy "))
        #expect(lines[4] == "class  samples  accuracy")
        #expect(lines[15] == "confusion matrix (rows: true class, columns: predicted class)")
        #expect(lines[16] == "       0  1  2  3  4  5  6  7  8  9")
    }

    @Test func jsonMetricsAgreeWithEachOther() throws {
        let scratch = try ScratchDirectory()
        let (spec, weights) = try trainedDigitsMLP(in: scratch)
        var options = EvalOptions(weights: weights)
        options.format = .json
        options.batchSize = 50
        let run = runEval(spec, options)
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "nnspec.eval/1")
        #expect(object["split"] as? String == "test" && object["samples"] as? Int == 360)
        let loss = try #require(object["loss"] as? [String: Any])
        #expect(loss["type"] as? String == "CrossEntropyLoss" && loss["reduction"] as? String == "mean")
        let classification = try #require(object["classification"] as? [String: Any])
        let confusion = try #require(classification["confusion_matrix"] as? [[Int]])
        #expect(confusion.count == 10 && confusion.joined().reduce(0, +) == 360)
        let correct = (0..<10).reduce(0) { $0 + confusion[$1][$1] }
        #expect(classification["top1_correct"] as? Int == correct)
        #expect(try #require(classification["top5_correct"] as? Int) >= correct)
        let perClass = try #require(classification["per_class"] as? [[String: Any]])
        // The test split's class counts: 36 of each digit but 2 and 8 (35) and 3 and 5 (37).
        #expect(perClass.map { $0["samples"] as? Int } == [36, 36, 35, 37, 36, 37, 36, 36, 35, 36])
        #expect(perClass.enumerated().allSatisfy { index, entry in
            abs((entry["accuracy"] as? Double ?? -1) - Double(confusion[index][index]) / Double(confusion[index].reduce(0, +))) < 1e-12
        })
        // The batch size changes only the rounding of the loss's sum.
        options.batchSize = 360
        let whole = try #require(try JSONSerialization.jsonObject(with: Data(runEval(spec, options).output.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: try #require(whole["classification"] as? [String: Any])).isEqual(to: classification))
        let wholeLoss = try #require((whole["loss"] as? [String: Any])?["value"] as? Double)
        #expect(abs(wholeLoss - (try #require(loss["value"] as? Double))) < 1e-6)
        options.split = .train
        let train = try #require(try JSONSerialization.jsonObject(with: Data(runEval(spec, options).output.utf8)) as? [String: Any])
        #expect(train["split"] as? String == "train" && train["samples"] as? Int == 1437)
    }

    @Test func aLossOnValuesGivesTheLossOnly() throws {
        let scratch = try ScratchDirectory()
        let spec = try scratch.write("""
            nnspec: 1
            name: Regression
            input: [N, 3]
            layers:
              - {name: fc, type: Linear, in_features: 3, out_features: 2}
            loss: MSELoss
            optimizer: SGD
            data:
              batch_size: 4
              train: {source: random, samples: 8}
              test: {source: random, samples: 6, seed: 3}
            """, to: "regression.yaml")
        let weights = scratch.path("w.safetensors")
        #expect(runTrain(spec) { $0.saveWeights = weights; $0.quiet = true }.status == 0)
        let text = runEval(spec, EvalOptions(weights: weights))
        #expect(text.status == 0)
        #expect(text.output.hasSuffix("no accuracy: MSELoss compares values, not classes, so the loss is the whole result\n"))
        var options = EvalOptions(weights: weights)
        options.format = .json
        let json = try #require(try JSONSerialization.jsonObject(with: Data(runEval(spec, options).output.utf8)) as? [String: Any])
        #expect(json["classification"] is NSNull)
    }

    @Test func topFiveRanksAsTorchTopk() {
        var metrics = ClassificationMetrics(classCount: 6)
        // Class 5 scores 1; five scores rank above it in the first row, four in the second (the
        // tie at an earlier index ranks above, NaN ranks highest).
        let scores = Tensor(shape: [2, 6], scalars: [2, 3, .nan, 1, 4, 1, 0, 1, .nan, 5, 2, 1])
        metrics.add(scores: scores, classes: [5, 5])
        #expect(metrics.topFiveCorrect == 1)
        #expect(metrics.confusion[5] == [0, 0, 2, 0, 0, 0])
    }

    @Test func badWeightsOrAMissingSplitAreErrors() throws {
        let spec = repositoryRoot.appendingPathComponent("specs/training/digits-mlp.yaml").path
        let other = repositoryRoot.appendingPathComponent("specs/parity/mlp-init.safetensors").path
        let wrong = runEval(spec, EvalOptions(weights: other))
        #expect(wrong.status == 1 && wrong.error.hasPrefix("error: --weights \(other): state does not fit the module"))
        let parity = repositoryRoot.appendingPathComponent("specs/parity/mlp.yaml").path
        let noTest = runEval(parity, EvalOptions(weights: other))
        #expect(noTest.status == 1 && noTest.error == "error: MLP has no data: test: split\n")
    }
}
