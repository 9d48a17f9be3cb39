import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The element names (in document order) and each element's last attributes, from Foundation's
/// XMLParser; throws when the text is not well-formed XML.
struct XMLParsed {
    var elements: [String] = []
    var attributes: [String: [String: String]] = [:]

    struct Malformed: Error { var reason: String }

    init(_ text: String) throws {
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [String] = []
            var attributes: [String: [String: String]] = [:]
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String]) {
                elements.append(name)
                self.attributes[name] = attributes
            }
        }
        let parser = XMLParser(data: Data(text.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else { throw Malformed(reason: parser.parserError.map { "\($0)" } ?? "unknown") }
        elements = collector.elements
        attributes = collector.attributes
    }
}
