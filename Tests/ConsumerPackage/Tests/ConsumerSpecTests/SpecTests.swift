import NNRun
import Testing

@Test(arguments: try SpecDiscovery.specFiles(under: ["specs"]))
func specPasses(_ path: String) {
    let result = RegressionRunner(trainer: StandardSpecTrainer()).test(specAt: path)
    #expect(result.passed, "\(RegressionReport.text(result))")
}
