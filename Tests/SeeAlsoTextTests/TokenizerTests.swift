import Foundation
import Testing
import SeeAlsoSupport
@testable import SeeAlsoText

/// Expects the tokens of `text` to be `expected`, scalar for scalar (String `==` would treat
/// canonically equivalent tokens as equal). Expected values come from scikit-learn 1.9.1's
/// `CountVectorizer(lowercase=…, strip_accents=…).build_analyzer()` on Python 3.11 (Unicode 14).
private func expectTokens(
    _ text: String, _ expected: [String], lowercase: Bool = true, strip: AccentStripping = .none,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var tokenizer = Tokenizer(lowercase: lowercase, stripAccents: strip)
    let actual = tokenizer.tokens(text)
    let actualScalars = actual.map { $0.unicodeScalars.map(\.value) }
    let expectedScalars = expected.map { $0.unicodeScalars.map(\.value) }
    #expect(actualScalars == expectedScalars,
            "\(debugScalars(text)) lowercase=\(lowercase) strip=\(strip): got \(actual.map(debugScalars)), expected \(expected.map(debugScalars))",
            sourceLocation: sourceLocation)
}

/// Text with every non-ASCII scalar spelled `\u{…}`, for readable failures.
private func debugScalars(_ text: String) -> String {
    text.unicodeScalars.map { $0.isASCII ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
}

@Suite struct TokenizerTests {
    // MARK: ASCII

    @Test func asciiTokensAreMaximalRunsOfTwoOrMoreWordCharacters() {
        expectTokens("Hello, World! a I x_y _z 42 3 snake_case don't e-mail",
                     ["hello", "world", "x_y", "_z", "42", "snake_case", "don", "mail"])
        expectTokens("__ _ 1 12 a1 1a a.b ab.cd", ["__", "12", "a1", "1a", "ab", "cd"])
        expectTokens("https://example.com/path?q=1&x=22 foo@bar.org",
                     ["https", "example", "com", "path", "22", "foo", "bar", "org"])
        expectTokens("tab\tnew\nline\r\nreturn", ["tab", "new", "line", "return"])
        expectTokens("", [])
        expectTokens("a b c ! ? .", [])
        expectTokens("ab", ["ab"])
        expectTokens("   leading and trailing   ", ["leading", "and", "trailing"])
    }

    /// Random texts over every ASCII byte (and some non-ASCII letters) against a plain reference: maximal
    /// runs of [0-9A-Za-z_] and non-ASCII letters of two or more characters, lowercased or not. Exercises
    /// the eight-bytes-at-a-time path at every alignment and run length, and its hand-over to the
    /// byte-by-byte and Unicode paths.
    @Test func asciiFastPathAgreesWithAReference() {
        var rng = SplitMix64(seed: 13)
        let extras: [Character] = ["é", "Ä", "ß", "ж", "中", "\u{00A0}"]
        for lowercase in [true, false] {
            var tokenizer = Tokenizer(lowercase: lowercase)
            for _ in 0..<400 {
                var text = ""
                for _ in 0..<Int.random(in: 0...60, using: &rng) {
                    if Int.random(in: 0..<10, using: &rng) == 0 {
                        text.append(extras.randomElement(using: &rng)!)
                    } else {
                        // Word characters three times as often as others, so runs of all lengths occur.
                        let wordish = Array("abcXYZ_09qQ")
                        text.append(Int.random(in: 0..<4, using: &rng) == 0
                                    ? Character(Unicode.Scalar(UInt8.random(in: 1...127, using: &rng)))
                                    : wordish.randomElement(using: &rng)!)
                    }
                }
                var expected: [String] = []
                var current = ""
                for character in text + " " {
                    let isWord = character.isLetter || character.isNumber || character == "_"
                    if isWord && character != "\u{00A0}" {
                        current.append(lowercase ? Character(character.lowercased()) : character)
                    } else {
                        if current.unicodeScalars.count >= 2 { expected.append(current) }
                        current = ""
                    }
                }
                let actual = tokenizer.tokens(text)
                #expect(actual == expected, "\(debugScalars(text)) lowercase=\(lowercase)")
                if actual != expected { return }
            }
        }
    }

    @Test func lowercasingCanBeTurnedOff() {
        expectTokens("Hello WORLD MiXeD", ["hello", "world", "mixed"])
        expectTokens("Hello WORLD MiXeD", ["Hello", "WORLD", "MiXeD"], lowercase: false)
        expectTokens("Müller ÉCOLE", ["Müller", "ÉCOLE"], lowercase: false)
        expectTokens("Müller ÉCOLE", ["müller", "école"])
    }

    @Test func longAsciiTextAndRepeatedUse() {
        var tokenizer = Tokenizer()
        let words = (0..<5000).map { "Word\($0)" }
        #expect(tokenizer.tokens(words.joined(separator: " ")) == words.map { $0.lowercased() })
        // The same tokenizer gives the same answer again (cached mappings, reused buffers).
        #expect(tokenizer.tokens("Straße café") == ["straße", "café"])
        #expect(tokenizer.tokens("Straße café") == ["straße", "café"])
    }

    @Test func tokenBufferAppendsAndCanBeCleared() {
        var tokenizer = Tokenizer()
        var buffer = TokenBuffer()
        tokenizer.tokenize("alpha beta", into: &buffer)
        tokenizer.tokenize("gamma é東京", into: &buffer)
        #expect(buffer.count == 4)
        #expect((0..<buffer.count).map { buffer.string(at: $0) } == ["alpha", "beta", "gamma", "é東京"])
        #expect(Array(buffer.ends) == [5, 9, 14, 14 + 2 + 6])
        #expect(buffer.start(of: 2) == 9)
        #expect(Array(buffer.token(1)) == Array("beta".utf8))
        buffer.removeAll()
        #expect(buffer.count == 0)
        tokenizer.tokenize("again", into: &buffer)
        #expect(buffer.string(at: 0) == "again")
    }

    // MARK: Accents

    @Test func accentStripping() {
        let text = "café naïve Müller"
        expectTokens(text, ["café", "naïve", "müller"])
        expectTokens(text, ["cafe", "naive", "muller"], strip: .unicode)
        expectTokens(text, ["cafe", "naive", "muller"], strip: .ascii)
    }

    @Test func decomposedAccentIsNotAWordCharacter() {
        // U+0301 is a combining mark (Mn): not `\w`, so it ends the token whether or not accents are stripped.
        expectTokens("cafe\u{301}", ["cafe"])
        expectTokens("cafe\u{301}", ["cafe"], strip: .unicode)
        expectTokens("cafe\u{301}", ["cafe"], strip: .ascii)
        expectTokens("cafe\u{301}s", ["cafe"])
        expectTokens("cafe\u{301}s", ["cafes"], strip: .unicode)
        // Precomposed é is one letter and stays whole without stripping.
        expectTokens("caf\u{E9}s", ["caf\u{E9}s"])
    }

    // MARK: Case mapping

    @Test func greekFinalSigma() {
        expectTokens("ΟΔΟΣ ΣΟΦΙΑΣ", ["οδος", "σοφιας"])
        expectTokens("ΟΔΟΣ ΣΟΦΙΑΣ", ["οδος", "σοφιας"], strip: .unicode)
        expectTokens("ΟΔΟΣ ΣΟΦΙΑΣ", ["ΟΔΟΣ", "ΣΟΦΙΑΣ"], lowercase: false)
        expectTokens("ΣΑΣ ΑΣΑ", ["σας", "ασα"])
        expectTokens("Σ ΣΣ ΑΣ'Σ", ["σς", "ασ"])
        expectTokens("ΑΣ.", ["ας"])
        // Case-ignorable marks are skipped when looking for a cased letter after the sigma.
        expectTokens("ΑΣ\u{301}Α", ["ασ"])
        expectTokens("Σ\u{301}", [])
        expectTokens("ΑΣ\u{345}", ["ας"])
        // Already lowercase sigmas are kept as written.
        expectTokens("οδοσ σοφιας", ["οδοσ", "σοφιας"])
    }

    /// The Final_Sigma context scan must decode ASCII neighbours as one byte each (a former bug read
    /// them as two-byte sequences and chose the wrong sigma).
    @Test func greekSigmaNextToAsciiText() {
        expectTokens("ABΣ", ["abς"])
        expectTokens("ΟΔΟΣ going", ["οδος", "going"])
        expectTokens("ΟΔΟΣ goes", ["οδος", "goes"])
        expectTokens("ΟΔΟΣ ΣΟΦΙΑΣ closed", ["οδος", "σοφιας", "closed"])
        expectTokens("ΟΔΟΣ: x", ["οδος"])
        expectTokens("AΣ Β", ["aς"])
    }

    /// With `strip_accents='ascii'` every Greek letter is dropped, sigma included.
    @Test func greekSigmaWithAsciiStripping() {
        expectTokens("ΟΔΟΣ ΣΟΦΙΑΣ", [], strip: .ascii)
        expectTokens("ΚΑΛΗΜΕΡΑ ΣΑΣ", [], strip: .ascii)
        expectTokens("ABΣ", ["ab"], strip: .ascii)
    }

    @Test func turkishDottedCapitalI() {
        // Full lowercase mapping: İ → i + U+0307; the combining dot is not a word character.
        expectTokens("İstanbul", ["stanbul"])
        expectTokens("İstanbul", ["İstanbul"], lowercase: false)
        expectTokens("İstanbul", ["istanbul"], strip: .unicode)
        expectTokens("İİ I\u{307}x", [])
        expectTokens("Diyarbakır ığdır", ["diyarbakır", "ığdır"])
    }

    @Test func sharpS() {
        expectTokens("Straße STRASSE ẞ ẞA", ["straße", "strasse", "ßa"])
        expectTokens("Straße ẞA", ["straße", "ßa"], strip: .unicode)
        expectTokens("Straße ẞA", ["strae"], strip: .ascii)
        expectTokens("ẞA", ["ẞA"], lowercase: false)
    }

    @Test func ligatures() {
        expectTokens("ﬁle ﬁ ﬂow", ["ﬁle", "ﬂow"])
        expectTokens("ﬁle ﬁ ﬂow", ["file", "fi", "flow"], strip: .unicode)
        expectTokens("ﬁle ﬁ", ["file", "fi"], strip: .ascii)
        // One scalar that decomposes to two letters counts as two characters after stripping.
        expectTokens("ǅemal ǆ", ["ǆemal"])
        expectTokens("ǅemal ǆ", ["dzemal", "dz"], strip: .unicode)
    }

    @Test func compatibilityCharacters() {
        let text = "k\u{2126} k\u{3A9} \u{212A}\u{212A} \u{212B}A"
        expectTokens(text, ["k\u{2126}", "k\u{3A9}", "\u{212A}\u{212A}", "\u{212B}A"], lowercase: false)
        expectTokens(text, ["k\u{3C9}", "k\u{3C9}", "kk", "\u{E5}a"])
        expectTokens(text, ["k\u{3C9}", "k\u{3C9}", "kk", "aa"], strip: .unicode)
        expectTokens(text, ["kk", "aa"], strip: .ascii)
        expectTokens("x² ½ Ⅻ ⅬⅦ 10³", ["x²", "ⅼⅶ", "10³"])
        expectTokens("x² ½ Ⅻ ⅬⅦ 10³", ["x2", "xii", "lvii", "103"], strip: .unicode)
    }

    // MARK: Scripts

    @Test func cjkHangulAndArabicRuns() {
        expectTokens("東京都 in 日本 한국어", ["東京都", "in", "日本", "한국어"])
        // Harakat (combining marks) split Arabic words; Arabic-Indic digits are word characters.
        expectTokens("مرحبا بالعالم ١٢٣ كَتَبَ", ["مرحبا", "بالعالم", "١٢٣"])
        // Devanagari vowel signs and virama are marks too, leaving only "नमस" two letters or longer.
        expectTokens("नमस्ते दुनिया", ["\u{928}\u{92E}\u{938}"])
    }

    @Test func emojiSeparateWords() {
        expectTokens("hello😀world 👍🏽ok 👨‍👩‍👧 x😀y", ["hello", "world", "ok"])
        expectTokens("🎉🎉 😀", [])
    }

    @Test func fullWidthLettersAndDigits() {
        let text = "ＡＢＣ ｄｅｆ １２３"
        expectTokens(text, ["ａｂｃ", "ｄｅｆ", "１２３"])
        expectTokens(text, ["abc", "def", "123"], strip: .unicode)
        expectTokens(text, ["ＡＢＣ", "ｄｅｆ", "１２３"], lowercase: false)
    }

    @Test func unicodeSpacesSeparateWords() {
        expectTokens("a\u{A0}b ab\u{200B}cd ef\u{3000}gh ij\u{2028}kl mn\u{2029}op", ["ab", "cd", "ef", "gh", "ij", "kl", "mn", "op"])
    }

    @Test func wordCharacterClassification() {
        #expect(ScalarMapper.isWordCharacter("_"))
        #expect(ScalarMapper.isWordCharacter("a"))
        #expect(ScalarMapper.isWordCharacter("7"))
        #expect(ScalarMapper.isWordCharacter("\u{BD}"))   // ½, numeric
        #expect(ScalarMapper.isWordCharacter("\u{2167}")) // Ⅷ, letter number
        #expect(ScalarMapper.isWordCharacter("\u{2B0}"))  // ʰ, modifier letter
        #expect(ScalarMapper.isWordCharacter("\u{5D0}"))  // א, other letter
        #expect(!ScalarMapper.isWordCharacter("\u{301}")) // combining acute
        #expect(!ScalarMapper.isWordCharacter("-"))
        #expect(!ScalarMapper.isWordCharacter("'"))
        #expect(!ScalarMapper.isWordCharacter("\u{2019}"))
        #expect(!ScalarMapper.isWordCharacter("\u{1F600}"))
        #expect(!ScalarMapper.isWordCharacter("\u{200D}"))
    }
}
