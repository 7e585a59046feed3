import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoTestSupport

/// HTML bodies and titles cleaned at read time (`HTMLText`, `HTMLMode`, `CorpusOptions.html`).
@Suite struct HTMLTextTests {
    @Test(arguments: [
        // Block tags leave a line break so words stay apart; inline tags leave nothing.
        ("<p>Hello</p><p>world</p>", "Hello\nworld\n"),
        ("one<br>two<br/>three<BR />four", "one\ntwo\nthree\nfour"),
        ("<ul><li>a</li><li>b</li></ul>", "a\nb\n"),
        ("<table><tr><td>x</td><td>y</td></tr></table>", "x\ny\n"),
        ("<b>Wor</b>d and <a href=\"/x?a=1&b=2\" title='a > b'>link</a>", "Word and link"),
        ("<h1 class=\"t\">Title</h1>Text", "Title\nText"),
        ("<custom-widget data-x=1>kept</custom-widget>", "kept"),
        // Comments, declarations, script and style content are dropped.
        ("a<!-- hidden <p>no</p> -->b", "ab"),
        ("<!DOCTYPE html><html><body>x</body></html>", "x\n"),
        ("<script>var s = '</p>'; if (a<b) {}</script>Text", "Text"),
        ("<STYLE type=\"text/css\">p { color: red }</style >after", "after"),
        ("<script src=\"x.js\"/>kept", "kept"),
        ("<scripts>kept</scripts>", "kept"),
        // Character references: named (HTML 4 and &apos;), decimal, hex, Windows-1252 and invalid values.
        ("&amp; &lt; &gt; &quot; &apos; &mdash; &ndash; &hellip;", "& < > \" ' \u{2014} \u{2013} \u{2026}"),
        ("&lsquo;x&rsquo; &ldquo;y&rdquo; &laquo;z&raquo; &copy;&reg;&trade; &euro;", "\u{2018}x\u{2019} \u{201C}y\u{201D} \u{00AB}z\u{00BB} \u{00A9}\u{00AE}\u{2122} \u{20AC}"),
        ("caf&eacute; &agrave; &egrave; &ouml;&szlig; &ntilde; &ccedil; &atilde;o &Eacute;", "café à è öß ñ ç ão É"),
        ("a&nbsp;b", "a b"),
        ("&#233;&#xE9;&#XE9;&#x1F600;", "éé\u{E9}\u{1F600}"),
        ("it&#146;s &#150; ok", "it\u{2019}s \u{2013} ok"),
        ("&#0;&#xD800;&#1114112;", "\u{FFFD}\u{FFFD}\u{FFFD}"),
        // Not references: unknown names, no semicolon, bare ampersands.
        ("AT&T &bogus; &amp &#; &#x; & ;", "AT&T &bogus; &amp &#; &#x; & ;"),
        // A '<' that starts no tag stays text, as does a tag never closed.
        ("a < b and 3<4 <3", "a < b and 3<4 <3"),
        ("x <p unterminated", "x <p unterminated"),
        ("<p>Città &mdash; Straße 北京</p>", "Città \u{2014} Straße 北京\n"),
    ])
    func cleans(html: String, expected: String) {
        #expect(HTMLText.clean(html) == expected)
    }

    @Test(arguments: [
        "<p>x", "a</p>", "<br/>", "<br>", "<a href=\"x\">y", "<IMG src=x>", "x<!-- c -->", "&amp;", "Q&amp;A", "it&#39;s", "&eacute;",
        "<div\nclass=x>",
    ])
    func detectsMarkup(_ text: String) {
        #expect(HTMLText.looksLikeHTML(text))
        #expect(HTMLMode.auto.apply(text) == HTMLText.clean(text))
    }

    @Test(arguments: [
        "", "plain text", "a < b", "x<y and y>z", "<3 love", "AT&T", "R&D; costs", "&bogus;", "5 &lt 6",
        "<notatag>", "email <jane@example.com>", "a <- b", "1 </ 2",
    ])
    func leavesPlainTextAlone(_ text: String) {
        #expect(!HTMLText.looksLikeHTML(text))
        #expect(HTMLMode.auto.apply(text) == text)
        #expect(HTMLMode.off.apply("<p>x</p>") == "<p>x</p>")
    }

    /// Random mixes of markup fragments never crash, always give valid text, and leave text without
    /// '<' or '&' exactly as it was.
    @Test func malformedMarkupNeverCrashes() {
        let pieces = ["<", ">", "&", "#", "x", ";", "/", "!", "-", "'", "\"", "p", "script", "style", "<!--", "-->", "</", "é", " ",
                      "&#", "&#x", "amp", "1F600", "99999999999", "\n", "<p>", "</script>", "北"]
        var rng = SplitMix64(seed: 14)
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...24, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let cleaned = HTMLText.clean(text)
            _ = HTMLText.looksLikeHTML(text)
            #expect(cleaned.utf8.count <= text.utf8.count + 3 * text.utf8.count)
            if !text.contains("<"), !text.contains("&") { #expect(cleaned == text) }
        }
    }

    @Test func readersCleanHTMLBodiesAndTitles() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("cms.jsonl", jsonl([
                #"{"id":"1","title":"Q&amp;A: the <em>budget</em>","body":"<p>First&nbsp;paragraph.</p><p>Second one.</p><script>track()</script>"}"#,
                #"{"id":"2","title":"Tom &amp; Jerry","body":"plain a < b"}"#,
                #"{"id":"3","title":"R&D","body":"plain &bogus; text"}"#,
            ]))
            let auto = try CorpusReader(path: path).readAll().articles
            #expect(auto.map(\.title) == ["Q&A: the budget", "Tom & Jerry", "R&D"])
            #expect(auto.map(\.body) == ["First paragraph.\nSecond one.\n", "plain a < b", "plain &bogus; text"])

            var off = CorpusOptions()
            off.html = .off
            let raw = try CorpusReader(path: path, options: off).readAll().articles
            #expect(raw[0].body.hasPrefix("<p>First&nbsp;") && raw[0].title == "Q&amp;A: the <em>budget</em>")

            var on = CorpusOptions()
            on.html = .on
            let forced = try CorpusReader(path: path, options: on).readAll().articles
            #expect(forced[0].body == auto[0].body && forced[1].body == "plain a < b")
        }
    }

    @Test func csvAndFolderBodiesAreCleanedToo() throws {
        try withTemporaryDirectory { dir in
            let csv = try dir.write("a.csv", "id,title,body\n1,Caf&eacute;,\"<div>Un <b>caffè</b></div>\"\n")
            let fromCSV = try CorpusReader(path: csv).readAll().articles
            #expect(fromCSV[0].title == "Café" && fromCSV[0].body == "Un caffè\n")
            try dir.write("folder/a.md", "Title &amp; more\n<p>Body</p>\n")
            let fromFolder = try CorpusReader(path: dir.path("folder")).readAll().articles
            #expect(fromFolder[0].title == "Title & more" && fromFolder[0].body == "Body\n\n")
        }
    }
}
