import Foundation
import SeeAlsoCorpus

/// Turns article specs into JSON Lines records.
///
/// An article's text depends only on its story and its own random stream (seeded by story and
/// index), so any worker can write any article and the output does not depend on the thread
/// count. A syndicated copy regenerates its original from the same stream, then edits it with a
/// stream of its own (a sentence dropped, a few words swapped, another outlet).
///
/// Text is built as tokens (see `Token`) and rendered straight into a byte buffer. Every generated
/// word is ASCII letters or digits, so the only JSON escapes are the quotes and newlines the
/// writer itself adds.
struct ArticleWriter {
    let lexicon: Lexicon
    let configuration: SynthConfiguration
    private let idWidth: Int
    private var title: [UInt32] = []
    private var body: [UInt32] = []
    private var sentenceStarts: [Int] = []
    private var candidates: [Mention] = []
    private var cumulative: [Double] = []
    private var cachedDay: Int64 = .min
    private var cachedDayText: [UInt8] = []

    init(lexicon: Lexicon, configuration: SynthConfiguration) {
        self.lexicon = lexicon
        self.configuration = configuration
        idWidth = max(7, String(configuration.articles).count)
        title.reserveCapacity(32)
        body.reserveCapacity(1024)
        sentenceStarts.reserveCapacity(64)
    }

    /// Appends the record of every spec, each ending in a newline.
    mutating func write(_ specs: [ArticleSpec], into out: inout [UInt8]) {
        for spec in specs { write(spec, into: &out) }
    }

    /// Appends one record and its newline.
    mutating func write(_ spec: ArticleSpec, into out: inout [UInt8]) {
        let story = spec.story
        var random = FastRandom(seed: SeedMixer.derive(story.seed, Stream.article, UInt64(spec.index)))
        var outlet = lexicon.outletSampler.sample(&random)
        compose(spec, &random)
        if spec.copy > 0 {
            var edit = FastRandom(seed: SeedMixer.derive(story.seed, Stream.copyEdit, UInt64(spec.index) << 24 | UInt64(spec.copy)))
            outlet = (outlet + 1 + edit.below(lexicon.outlets.count - 1)) % lexicon.outlets.count
            editCopy(&edit)
        }
        render(spec, outlet: outlet, into: &out)
    }

    // MARK: Composition

    private mutating func compose(_ spec: ArticleSpec, _ random: inout FastRandom) {
        let story = spec.story
        title.removeAll(keepingCapacity: true)
        body.removeAll(keepingCapacity: true)
        sentenceStarts.removeAll(keepingCapacity: true)

        // The story items this article uses: those introduced by now, about half of them, usually the main one.
        candidates.removeAll(keepingCapacity: true)
        cumulative.removeAll(keepingCapacity: true)
        var total = 0.0
        var person: Mention?
        for (rank, item) in story.items.enumerated()
        where item.introduction <= spec.progress + 0.1 && random.chance(rank == 0 ? 0.85 : configuration.itemUseChance) {
            candidates.append(item.mention)
            total += item.weight
            cumulative.append(total)
            if person == nil, item.mention.kind == .person { person = item.mention }
        }
        // A round-up also covers another story: its items take about 40 % of the story words.
        if let related = spec.related, total > 0 {
            let relatedTotal = related.items.reduce(0) { $0 + $1.weight }
            let scale = 0.65 * total / relatedTotal
            for item in related.items where item.introduction == 0 {
                var mention = item.mention
                mention.full = mention.full.map(Self.relatedToken)
                mention.short = Self.relatedToken(mention.short)
                candidates.append(mention)
                total += item.weight * scale
                cumulative.append(total)
            }
        }

        // How much of the text is about the story and the desk varies between articles;
        // some only mention the story in passing.
        let passing = random.chance(configuration.passingMentionChance)
        let storyShare = min(0.4, configuration.storyShare
            * (passing ? configuration.passingMentionFactor : random.logNormal(median: 1, sigma: 0.5)))
        let topicShare = min(0.5, configuration.topicShare * random.logNormal(median: 1, sigma: 0.25))
        let storyCut = storyShare, topicCut = storyShare + topicShare
        let primary = lexicon.topics[story.topic]
        let secondary = lexicon.topics[story.secondaryTopic]

        // Title: 5–12 words, usually led by the story's main name.
        let titleWords = random.between(5, 9) + (random.chance(0.3) ? random.between(0, 3) : 0)
        var words = 0
        if !candidates.isEmpty, random.chance(0.7) {
            words += appendMention(candidates[0], full: random.chance(0.5), to: &title)
        }
        var lastWasConnective = true
        while words < titleWords {
            let roll = random.unit()
            if roll < 0.35, !candidates.isEmpty {
                let mention = pickCandidate(&random, total: total)
                if title.contains(mention.short) { continue }
                words += appendMention(mention, full: random.chance(0.3) && words + mention.full.count <= titleWords, to: &title)
                lastWasConnective = false
            } else if roll < 0.82 || lastWasConnective || words >= titleWords - 1 {
                let word = roll < 0.65 ? topicWord(primary, &random) : lexicon.backgroundWord(&random, minimumRank: lexicon.frequentCount)
                if title.contains(word) { continue }
                title.append(word)
                words += 1
                lastWasConnective = false
            } else {
                title.append(lexicon.connectives[random.below(lexicon.connectives.count)])
                words += 1
                lastWasConnective = true
            }
        }

        // Body: paragraphs of sentences until the drawn length is reached.
        let target = min(600, max(120, Int(random.logNormal(median: configuration.medianBodyWords, sigma: 0.45))))
        words = 0
        var sentencesLeft = random.between(1, 2)
        while words < target {
            sentenceStarts.append(body.count)
            if sentencesLeft == 0 {
                body.append(Token.paragraph)
                sentencesLeft = random.between(2, 4)
            }
            sentencesLeft -= 1
            let length = random.between(7, 24)
            let quote = person != nil && random.chance(0.1)
            if quote { body.append(Token.quoteOpen) }
            for position in 0..<length {
                let roll = random.unit()
                if roll < storyCut, !candidates.isEmpty {
                    words += appendMention(pickCandidate(&random, total: total), full: random.chance(0.35), to: &body)
                } else if roll < topicCut {
                    let desk = secondary !== primary && random.chance(0.25) ? secondary : primary
                    if random.chance(0.04) {
                        let entity = desk.entities[desk.entitySampler.sample(&random)]
                        words += appendMention(entity, full: random.chance(0.4), to: &body)
                    } else {
                        body.append(topicWord(desk, &random))
                        words += 1
                    }
                } else if random.chance(0.012) {
                    body.append(number(&random))
                    words += 1
                } else {
                    body.append(UInt32(truncatingIfNeeded: lexicon.background.sample(&random)))
                    words += 1
                }
                if position < length - 1, random.chance(0.06) { body.append(Token.comma) }
            }
            if quote, let person {
                body.append(Token.quoteCloseComma)
                body.append(lexicon.said)
                words += 1 + appendMention(person, full: random.chance(0.3), to: &body)
                body.append(Token.period)
            } else {
                body.append(random.chance(0.03) ? Token.question : Token.period)
            }
        }
    }

    /// Marks a story-local token as belonging to the round-up partner's table.
    private static func relatedToken(_ token: UInt32) -> UInt32 {
        token & Token.kindMask == Token.localKind ? token | Token.relatedFlag : token
    }

    @inline(__always)
    private func pickCandidate(_ random: inout FastRandom, total: Double) -> Mention {
        let target = random.unit() * total
        var index = 0
        while index < cumulative.count - 1 && cumulative[index] <= target { index += 1 }
        return candidates[index]
    }

    @inline(__always)
    private func topicWord(_ desk: TopicModel, _ random: inout FastRandom) -> UInt32 {
        desk.words[desk.wordSampler.sample(&random)]
    }

    /// Appends a mention's tokens; returns how many words that was.
    @inline(__always)
    private func appendMention(_ mention: Mention, full: Bool, to tokens: inout [UInt32]) -> Int {
        if full || mention.full.count == 1 {
            tokens.append(contentsOf: mention.full)
            return mention.full.count
        }
        tokens.append(mention.short)
        return 1
    }

    private func number(_ random: inout FastRandom) -> UInt32 {
        switch random.below(10) {
        case 0..<4: return Token.number(random.between(2, 99), style: 0)
        case 4..<6: return Token.number(random.between(100, 999), style: 0)
        case 6: return Token.number(random.between(1_001, 99_999), style: 1)
        case 7, 8: return Token.number(configuration.startYear - 5 + random.below(configuration.years + 5), style: 0)
        default: return Token.number(random.between(11, 999), style: 2)
        }
    }

    // MARK: Syndicated copies

    /// A copy: maybe a sentence dropped, one to four words swapped, sometimes a title word.
    private mutating func editCopy(_ random: inout FastRandom) {
        if sentenceStarts.count >= 4, random.chance(0.7) {
            let sentence = random.between(1, sentenceStarts.count - 1)
            var start = sentenceStarts[sentence]
            let end = sentence + 1 < sentenceStarts.count ? sentenceStarts[sentence + 1] : body.count
            if body[start] == Token.paragraph { start += 1 }
            body.removeSubrange(start..<end)
        }
        var swaps = random.between(1, 4)
        var attempts = 0
        while swaps > 0 && attempts < 64 {
            attempts += 1
            let position = random.below(body.count)
            if body[position] & Token.kindMask == Token.lexiconKind, Int(body[position]) < lexicon.backgroundCount {
                body[position] = UInt32(truncatingIfNeeded: lexicon.background.sample(&random))
                swaps -= 1
            }
        }
        if random.chance(0.3) {
            let position = random.below(title.count)
            if title[position] & Token.kindMask == Token.lexiconKind, Int(title[position]) < lexicon.backgroundCount {
                title[position] = lexicon.backgroundWord(&random, minimumRank: lexicon.frequentCount)
            }
        }
    }

    // MARK: Rendering

    private mutating func render(_ spec: ArticleSpec, outlet: Int, into out: inout [UInt8]) {
        let story = spec.story
        let desk = lexicon.topics[story.topic]
        out.append(contentsOf: #"{"id":""#.utf8)
        appendID(spec.ordinal, into: &out)
        out.append(contentsOf: #"","title":""#.utf8)
        renderTokens(title, story: story, related: spec.related, into: &out)
        out.append(contentsOf: #"","body":""#.utf8)
        renderTokens(body, story: story, related: spec.related, into: &out)
        out.append(contentsOf: #"","date":""#.utf8)
        let day = spec.time >= 0 ? spec.time / 86_400 : (spec.time - 86_399) / 86_400
        if day != cachedDay {
            cachedDay = day
            cachedDayText = Array(ArticleDate(secondsSinceEpoch: day * 86_400, hasTime: false).description.utf8)
        }
        out.append(contentsOf: cachedDayText)
        let second = Int(spec.time - day * 86_400)
        out.append(UInt8(ascii: "T"))
        appendTwoDigits(second / 3600, into: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(second / 60 % 60, into: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(second % 60, into: &out)
        out.append(contentsOf: #"Z","url":"https://www."#.utf8)
        out.append(contentsOf: lexicon.outlets[outlet])
        out.append(contentsOf: ".example/".utf8)
        out.append(contentsOf: desk.name.utf8)
        out.append(UInt8(ascii: "/"))
        // YYYY/MM/DD from the cached YYYY-MM-DD.
        for byte in cachedDayText { out.append(byte == UInt8(ascii: "-") ? UInt8(ascii: "/") : byte) }
        out.append(UInt8(ascii: "/"))
        appendSlug(story: story, related: spec.related, into: &out)
        out.append(UInt8(ascii: "-"))
        appendID(spec.ordinal, into: &out)
        out.append(contentsOf: #"","label":""#.utf8)
        out.append(contentsOf: desk.name.utf8)
        out.append(contentsOf: #"","event":"e"#.utf8)
        appendDecimal(story.number + 1, into: &out)
        out.append(contentsOf: #"","lang":"en"}"#.utf8)
        out.append(0x0A)
    }

    private func appendID(_ ordinal: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "a"))
        let digits = String(ordinal + 1).utf8
        for _ in digits.count..<idWidth { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: digits)
    }

    @inline(__always)
    private func appendTwoDigits(_ value: Int, into out: inout [UInt8]) {
        out.append(UInt8(48 + value / 10))
        out.append(UInt8(48 + value % 10))
    }

    private func appendDecimal(_ value: Int, into out: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, into: &out) }
        out.append(UInt8(48 + value % 10))
    }

    /// Up to six title words, lowercase, joined by hyphens.
    private func appendSlug(story: StoryPlan, related: StoryPlan?, into out: inout [UInt8]) {
        var count = 0
        for token in title where Token.isWord(token) && count < 6 {
            if count > 0 { out.append(UInt8(ascii: "-")) }
            let start = out.count
            appendWord(token, story: story, related: related, into: &out)
            for index in start..<out.count where out[index] >= 0x41 && out[index] <= 0x5A { out[index] |= 0x20 }
            count += 1
        }
    }

    @inline(__always)
    private func appendWord(_ token: UInt32, story: StoryPlan, related: StoryPlan?, into out: inout [UInt8]) {
        let payload = Int(token & Token.payloadMask)
        switch token & Token.kindMask {
        case Token.lexiconKind:
            lexicon.words.append(payload, to: &out)
        case Token.localKind:
            if payload & Int(Token.relatedFlag) != 0, let related {
                related.localWords.append(payload & ~Int(Token.relatedFlag), to: &out)
            } else {
                story.localWords.append(payload, to: &out)
            }
        default:
            appendNumber(payload, into: &out)
        }
    }

    private func appendNumber(_ payload: Int, into out: inout [UInt8]) {
        let value = payload & 0xFF_FFFF
        switch payload >> 24 {
        case 1: // thousands separator
            appendDecimal(value / 1000, into: &out)
            out.append(UInt8(ascii: ","))
            let rest = value % 1000
            out.append(UInt8(48 + rest / 100))
            appendTwoDigits(rest % 100, into: &out)
        case 2: // one decimal
            appendDecimal(value / 10, into: &out)
            out.append(UInt8(ascii: "."))
            out.append(UInt8(48 + value % 10))
        default:
            appendDecimal(value, into: &out)
        }
    }

    /// Writes tokens as text: spaces between words, capitals at sentence starts, punctuation,
    /// escaped quotes and paragraph breaks.
    private func renderTokens(_ tokens: [UInt32], story: StoryPlan, related: StoryPlan?, into out: inout [UInt8]) {
        var capitalise = true
        var space = false
        for token in tokens {
            if token & Token.kindMask != Token.markKind {
                if space { out.append(0x20) }
                let start = out.count
                appendWord(token, story: story, related: related, into: &out)
                if capitalise, out[start] >= 0x61, out[start] <= 0x7A { out[start] &= 0xDF }
                capitalise = false
                space = true
                continue
            }
            switch token {
            case Token.period:
                out.append(UInt8(ascii: "."))
                capitalise = true
            case Token.question:
                out.append(UInt8(ascii: "?"))
                capitalise = true
            case Token.comma:
                out.append(UInt8(ascii: ","))
            case Token.paragraph:
                out.append(contentsOf: #"\n\n"#.utf8)
                space = false
                capitalise = true
            case Token.quoteOpen:
                if space { out.append(0x20) }
                out.append(contentsOf: #"\""#.utf8)
                space = false
                capitalise = true
            case Token.quoteCloseComma:
                out.append(contentsOf: #",\""#.utf8)
                space = true
            default:
                break
            }
        }
    }
}

extension WordStore {
    /// Appends word `index` to `out`.
    @inline(__always)
    func append(_ index: Int, to out: inout [UInt8]) {
        let start = Int(starts[index]), end = Int(starts[index + 1])
        bytes.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }
}
