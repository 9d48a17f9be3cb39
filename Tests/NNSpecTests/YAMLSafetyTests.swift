import Foundation
import Testing
@testable import NNSpec

@Suite struct YAMLSafetyTests {
    /// The classic "billion laughs": 9 levels of 9 aliases, 10⁹ strings when expanded.
    static let billionLaughs = """
        nnspec: 1
        a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
        f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
        g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
        h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
        i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
        *i : key
        """

    @Test func billionLaughsIsRefusedInMilliseconds() {
        let clock = ContinuousClock()
        var result: ValidationResult?
        let elapsed = clock.measure { result = validate(Self.billionLaughs) }
        #expect(elapsed < .milliseconds(100))
        let diagnostic = result?.diagnostics.first
        #expect(diagnostic?.message == "aliases expand the document past the limit of 10000 nodes")
        #expect(diagnostic?.mark?.line == 6)
    }

    @Test func tagsAreRefusedAtTheTag() {
        let result = validate("nnspec: 1\nname: !!python/object:os.system x\n")
        #expect(errorMessages(result) == ["YAML tags are not allowed: 'tag:yaml.org,2002:python/object:os.system'"])
        #expect(result.diagnostics.first?.mark == SourceMark(line: 2, column: 7))
    }

    @Test func deepNestingIsRefusedWithoutRecursion() {
        let result = validate(String(repeating: "[", count: 500))
        #expect(errorMessages(result) == ["values are nested deeper than 64 levels"])
    }

    @Test func syntaxErrorsAreLocated() {
        let result = validate("nnspec: 1\ninput: [N, 1\nlayers: []\n")
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.message.hasPrefix("YAML syntax:") == true)
    }
}
