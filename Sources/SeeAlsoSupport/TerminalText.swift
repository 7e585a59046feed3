extension String {
    /// The string as it may reach a terminal in text output: line breaks and tabs become spaces, other
    /// control characters (C0, DEL, C1: escape sequences that recolour, retitle or clear a terminal)
    /// become visible `\u{…}` escapes. JSON output is not passed through this.
    package var terminalSafe: String {
        guard unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return self }
        var safe = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n", "\r", "\t": safe.append(" ")
            case _ where scalar.properties.generalCategory == .control:
                safe += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: safe.unicodeScalars.append(scalar)
            }
        }
        return safe
    }
}
