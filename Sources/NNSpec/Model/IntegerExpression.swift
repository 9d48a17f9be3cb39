/// Integer arithmetic written in a spec: `16*5*5`, `(32-4)/2`, `-1`.
///
/// Grammar: expression = term (('+' | '-') term)*; term = factor (('*' | '/') factor)*;
/// factor = integer | '-' factor | '(' expression ')'. Division must be exact; overflow of
/// `Int` is an error; nesting is limited so no text can exhaust the stack.
public enum IntegerExpression {
    /// A problem in an expression, at a character offset from the start of the text.
    public struct Failure: Error, Equatable, Sendable {
        public var message: String
        public var offset: Int
    }

    /// True when `text` looks like arithmetic rather than a word (only digits, operators,
    /// parentheses and spaces).
    public static func looksLikeArithmetic(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { "0123456789+-*/() ".unicodeScalars.contains($0) }
    }

    /// Evaluates `text`.
    public static func evaluate(_ text: String) throws(Failure) -> Int {
        var parser = Parser(characters: Array(text.unicodeScalars))
        let value = try parser.expression(depth: 0)
        parser.skipSpaces()
        if parser.position < parser.characters.count {
            throw Failure(message: "unexpected '\(parser.characters[parser.position])' in '\(text)'", offset: parser.position)
        }
        return value
    }

    private struct Parser {
        static let maximumDepth = 32
        let characters: [Unicode.Scalar]
        var position = 0

        init(characters: [Unicode.Scalar]) {
            self.characters = characters
        }

        var text: String { String(String.UnicodeScalarView(characters)) }

        mutating func skipSpaces() {
            while position < characters.count, characters[position] == " " { position += 1 }
        }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            skipSpaces()
            guard position < characters.count, characters[position] == character else { return false }
            position += 1
            return true
        }

        mutating func expression(depth: Int) throws(Failure) -> Int {
            var value = try term(depth: depth)
            while true {
                let start = position
                if take("+") {
                    value = try checked(value.addingReportingOverflow(try term(depth: depth)), at: start)
                } else if take("-") {
                    value = try checked(value.subtractingReportingOverflow(try term(depth: depth)), at: start)
                } else {
                    return value
                }
            }
        }

        mutating func term(depth: Int) throws(Failure) -> Int {
            var value = try factor(depth: depth)
            while true {
                skipSpaces()
                let start = position
                if take("*") {
                    value = try checked(value.multipliedReportingOverflow(by: try factor(depth: depth)), at: start)
                } else if take("/") {
                    let divisor = try factor(depth: depth)
                    guard divisor != 0 else { throw Failure(message: "division by zero in '\(text)'", offset: start) }
                    // Int.min / -1 overflows, and so does Int.min % -1: the checked division comes first.
                    let quotient = try checked(value.dividedReportingOverflow(by: divisor), at: start)
                    guard value.remainderReportingOverflow(dividingBy: divisor).partialValue == 0 else {
                        throw Failure(message: "\(value)/\(divisor) in '\(text)' is not a whole number", offset: start)
                    }
                    value = quotient
                } else {
                    return value
                }
            }
        }

        mutating func factor(depth: Int) throws(Failure) -> Int {
            guard depth < Self.maximumDepth else {
                throw Failure(message: "'\(text)' is nested too deeply", offset: position)
            }
            skipSpaces()
            let start = position
            if take("-") {
                return try checked((0).subtractingReportingOverflow(try factor(depth: depth + 1)), at: start)
            }
            if take("(") {
                let value = try expression(depth: depth + 1)
                guard take(")") else { throw Failure(message: "missing ')' in '\(text)'", offset: position) }
                return value
            }
            var value = 0
            var digits = 0
            while position < characters.count, ("0"..."9").contains(characters[position]) {
                let digit = Int(characters[position].value - Unicode.Scalar("0").value)
                value = try checked(value.multipliedReportingOverflow(by: 10), at: start)
                value = try checked(value.addingReportingOverflow(digit), at: start)
                position += 1
                digits += 1
            }
            guard digits > 0 else {
                let found = position < characters.count ? "'\(characters[position])'" : "the end"
                throw Failure(message: "expected a number in '\(text)' but found \(found)", offset: position)
            }
            return value
        }

        func checked(_ result: (partialValue: Int, overflow: Bool), at offset: Int) throws(Failure) -> Int {
            guard !result.overflow else {
                throw Failure(message: "'\(text)' overflows a 64-bit integer", offset: offset)
            }
            return result.partialValue
        }
    }
}
