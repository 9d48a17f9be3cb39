/// Text from a user's file made safe to print on a terminal: every control character (C0 but
/// tab, DEL, C1) and every bidirectional override is written out as a Swift escape, `\u{1b}`,
/// so no file can send escape sequences (set the title, clear the screen) through a message.
public enum VisibleText {
    /// `text` with each control character replaced by `\u{…}` (a newline too, so a file cannot
    /// forge a line of output); tabs are kept, since source-line echoes rely on them to line up carets.
    public static func escaped(_ text: some StringProtocol) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                result += escape(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The printed width, in scalars, of `scalar` once escaped (1 when it is kept as it is).
    public static func escapedWidth(of scalar: Unicode.Scalar) -> Int {
        needsEscape(scalar) ? escape(scalar).unicodeScalars.count : 1
    }

    /// True for a scalar a terminal would act on instead of showing: C0 controls but tab, DEL,
    /// C1 controls, and the bidirectional embeddings, overrides and isolates.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16) + "}"
    }
}
