import NNData
import Testing
@testable import NNSpec

/// `label_column` and `target_columns` name CSV columns by index or by header name
/// (specs/data/tiny-named-columns.csv: kind, length, width, height, weight).
@Suite struct CSVColumnTests {
    static func spec(_ columns: String, header: Bool = true, input: Int = 3, loss: String = "MSELoss") -> String {
        """
        nnspec: 1
        input: [N, \(input)]
        layers:
          - {type: Linear, in_features: \(input), out_features: 2}
        loss: \(loss)
        data:
          train: {source: csv, path: specs/data/tiny-named-columns.csv, header: \(header), \(columns)}

        """
    }

    /// A plain number is an index; other text, and a quoted number, a name. The data source keeps them
    /// as written, so that the file read (a prediction's input) resolves names against its own header.
    @Test func columnsAreKeptAsWrittenByIndexOrName() throws {
        let result = validate(Self.spec("target_columns: [weight, 3]"))
        #expect(errorMessages(result).isEmpty)
        let source = try #require(result.spec?.data?.train)
        #expect(source == .csv(path: repositoryRoot.path + "/specs/data/tiny-named-columns.csv", labelColumn: .index(0),
                               targetColumns: [.name("weight"), .index(3)], header: true, limit: nil))

        let label = validate(Self.spec("label_column: kind", input: 4, loss: "CrossEntropyLoss"))
        #expect(errorMessages(label).isEmpty)
        guard case .csv(_, let labelColumn, nil, _, _)? = label.spec?.data?.train else {
            Issue.record("no csv source without target columns")
            return
        }
        #expect(labelColumn == .name("kind"))

        #expect(errorMessages(validate(Self.spec("target_columns: ['3', weight]"))) == [
            "target_columns names the column '3', but the header of specs/data/tiny-named-columns.csv has no such column",
        ])
    }

    @Test func unknownNamesAreReportedAtTheirItemWithTheClosestName() throws {
        let result = validate(Self.spec("target_columns: [height, wieght]"))
        let error = try #require(result.diagnostics.first { $0.severity == .error })
        #expect(error.message == "target_columns names the column 'wieght', but the header of specs/data/tiny-named-columns.csv has no such column")
        #expect(error.hint == "did you mean 'weight'?")
        #expect(error.mark?.line == 7)
        #expect(error.mark?.column == 104)
        // Nothing close: the hint lists the header's names.
        #expect(try #require(validate(Self.spec("target_columns: zzzzzz")).diagnostics.first { $0.message.contains("zzzzzz") }).hint
            == "its columns: kind, length, width, height, weight")
    }

    @Test func namesNeedTheHeaderRowAndDistinctColumns() {
        #expect(errorMessages(validate(Self.spec("target_columns: [weight, length]", header: false))) == [
            "data train target_columns names the column 'weight', but the file is read without a header row",
        ])
        #expect(errorMessages(validate(Self.spec("target_columns: [weight, weight]")))
            .contains("data train target_columns [weight, weight] names a column twice"))
        #expect(errorMessages(validate(Self.spec("target_columns: [4, weight]"))) == [
            "target_columns [4, weight] names a column twice: by its index and by its name (columns [4, 4])",
        ])
        #expect(errorMessages(validate(Self.spec("target_columns: [1, -2]"))).contains("data train (csv) target_columns must be 0 or more, not -2"))
    }
}
