import NNTensor
import Testing
@testable import NN

@Suite("Graph container")
struct GraphTests {
    /// input → fc1 → act → sum(input, act) → cat(sum, fc1) → fc2
    func makeResidualNetwork() throws -> (Graph, Linear, Linear) {
        var generator = RandomGenerator(seed: 41)
        let fc1 = try Linear(inFeatures: 4, outFeatures: 4, generator: &generator)
        let fc2 = try Linear(inFeatures: 8, outFeatures: 3, generator: &generator)
        let graph = try Graph(name: "Residual", [
            .init("fc1", fc1),
            .init("act", Tanh()),
            .init("sum", Add(), from: ["input", "act"]),
            .init("cat", Concat(dim: 1), from: ["sum", "fc1"]),
            .init("fc2", fc2),
        ])
        return (graph, fc1, fc2)
    }

    @Test func namesDescriptionAndForward() throws {
        let (graph, _, _) = try makeResidualNetwork()
        #expect(graph.namedParameters().map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        #expect(graph.description == """
        Residual(
          (fc1): Linear(in_features=4, out_features=4, bias=True)
          (act): Tanh()
          (sum): Add()
          (cat): Concat(dim=1)
          (fc2): Linear(in_features=8, out_features=3, bias=True)
        )
        """)
        #expect(try graph(Variable(Tensor(zeros: [5, 4]))).shape == [5, 3])
    }

    @Test func gradientsFlowThroughEveryPath() throws {
        let (graph, fc1, fc2) = try makeResidualNetwork()
        var generator = RandomGenerator(seed: 42)
        let input = randomVariable([3, 4], &generator)
        try expectGradientsMatch([input, fc1.weight, fc1.bias!, fc2.weight, fc2.bias!]) { try graph(input) }
    }

    @Test func refusesUnknownSourcesWrongArityAndDuplicates() throws {
        var generator = RandomGenerator(seed: 43)
        let linear = try Linear(inFeatures: 2, outFeatures: 2, generator: &generator)
        #expect(throws: NNError.unknownName("Graph node 'sum' reads 'later', which is not an earlier node; known: input, a")) {
            try Graph([.init("a", ReLU()), .init("sum", Add(), from: ["a", "later"]), .init("later", ReLU())])
        }
        #expect(throws: NNError.invalidArgument("Graph node 'fc' (Linear) takes 1 input(s) but reads 2: [\"input\", \"input\"]")) {
            try Graph([.init("fc", linear, from: ["input", "input"])])
        }
        #expect(throws: NNError.invalidArgument("Graph has two nodes named 'a' (or a node named 'input')")) {
            try Graph([.init("a", ReLU()), .init("a", Tanh())])
        }
        #expect(throws: NNError.invalidArgument("Sequential child '0' (Add) takes several inputs; use Graph")) {
            try Sequential([Add()])
        }
    }
}
