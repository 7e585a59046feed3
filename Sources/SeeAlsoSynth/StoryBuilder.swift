import Foundation

/// Invents a story's entities and keywords: fresh people, places and organisations of its own,
/// a few of its desk's recurring names, keywords from the mid-frequency background and the desk's
/// words, and, for a follow-up, part of an earlier story's names.
struct StoryBuilder {
    let lexicon: Lexicon
    let topic: Int
    let secondaryTopic: Int
    var random: FastRandom
    private(set) var local = WordStore()
    private var fresh: [Mention] = []
    private var inherited: [Mention] = []
    /// Developments of long stories: introduced part-way through (0…1 of the span).
    private var later: [(mention: Mention, introduction: Double)] = []

    init(lexicon: Lexicon, topic: Int, secondaryTopic: Int, random: FastRandom) {
        self.lexicon = lexicon
        self.topic = topic
        self.secondaryTopic = secondaryTopic
        self.random = random
    }

    /// Takes about `share` of `parent`'s items, copying its own names.
    mutating func inherit(from parent: StoryPlan, share: Double) {
        var remap: [UInt32: UInt32] = [:]
        for item in parent.items where random.chance(share) {
            var mention = item.mention
            mention.full = mention.full.map { adopt($0, from: parent, remap: &remap) }
            mention.short = adopt(mention.short, from: parent, remap: &remap)
            inherited.append(mention)
        }
    }

    private mutating func adopt(_ token: UInt32, from parent: StoryPlan, remap: inout [UInt32: UInt32]) -> UInt32 {
        guard token & Token.kindMask == Token.localKind else { return token }
        if let known = remap[token] { return known }
        let adopted = Token.local(local.append(parent.localWords.word(Int(token & Token.payloadMask))))
        remap[token] = adopted
        return adopted
    }

    /// Adds the story's own items; bigger stories get more names, some introduced later.
    /// Most names are the desks' recurring ones (the same politicians, clubs and cities come back
    /// story after story); a few are new, and those make a story distinctive.
    mutating func addFreshItems(originals: Int) {
        let singleton = originals == 1
        let persons = singleton ? random.between(0, 1) : random.between(0, 2)
        let organisations = random.between(0, 1)
        let places = random.between(0, 1)
        let recurring = singleton ? random.between(1, 2) : random.between(2, 5)
        let keywords = singleton ? random.between(2, 4) : random.between(3, 6)
        let deskKeywords = singleton ? 1 : random.between(1, 2)
        for _ in 0..<persons { fresh.append(person()) }
        for _ in 0..<organisations { fresh.append(organisation()) }
        for _ in 0..<places { fresh.append(place()) }
        let desk = lexicon.topics[topic]
        for _ in 0..<recurring {
            let source = random.chance(0.3) ? lexicon.topics[secondaryTopic] : desk
            let entity = source.entities[source.entitySampler.sample(&random)]
            if !fresh.contains(entity) { fresh.append(entity) }
        }
        for _ in 0..<keywords { fresh.append(keyword(lexicon.midFrequencyWord(&random, low: lexicon.frequentCount + 150))) }
        for _ in 0..<deskKeywords { fresh.append(keyword(desk.words[random.below(min(desk.words.count, 80))])) }
        if originals >= 5 {
            let developments = Int(Foundation.log2(Double(originals)))
            for _ in 0..<developments {
                let roll = random.unit()
                let mention = roll < 0.4 ? person() : roll < 0.55 ? place() : roll < 0.7 ? organisation()
                    : keyword(lexicon.midFrequencyWord(&random, low: lexicon.frequentCount + 150))
                later.append((mention, 0.05 + 0.85 * random.unit()))
            }
        }
    }

    /// The items with weights: the main item first, the rest shuffled with a Zipf-like decay.
    /// A follow-up keeps its parent's leading name as its own (the same minister, a new affair).
    mutating func finishedItems() -> [StoryItem] {
        var pool = fresh + inherited
        let main = inherited.isEmpty ? (fresh.isEmpty ? nil : pool.remove(at: 0)) : pool.remove(at: fresh.count)
        pool.shuffle(using: &random)
        var ordered: [(Mention, Double)] = []
        if let main { ordered.append((main, 0)) }
        ordered += pool.map { ($0, 0) }
        ordered += later.map { ($0.mention, $0.introduction) }
        if ordered.isEmpty { ordered.append((keyword(lexicon.midFrequencyWord(&random, low: lexicon.frequentCount + 150)), 0)) }
        return ordered.enumerated().map { rank, entry in
            StoryItem(mention: entry.0, weight: Foundation.pow(Double(rank + 1), -0.8) * (rank == 0 ? 1.5 : 1),
                      introduction: entry.1)
        }
    }

    private mutating func localName(endings: [String], syllables: ClosedRange<Int> = 1...3) -> UInt32 {
        Token.local(local.append(WordForge.name(&random, endings: endings, syllables: syllables).utf8))
    }

    private mutating func person() -> Mention {
        let first = Token.lexicon(Int(lexicon.firstNames[lexicon.firstNameSampler.sample(&random)]))
        let surname = localName(endings: WordForge.surnameEndings)
        return Mention(kind: .person, full: [first, surname], short: surname)
    }

    private mutating func place() -> Mention {
        let name = localName(endings: WordForge.placeEndings)
        return Mention(kind: .place, full: [name], short: name)
    }

    private mutating func organisation() -> Mention {
        let name = localName(endings: ["", "", "ex", "on", "ia", "co", "tek"], syllables: 1...2)
        let type = Token.lexicon(Int(lexicon.organisationTypes[random.below(lexicon.organisationTypes.count)]))
        return Mention(kind: .organisation, full: [name, type], short: name)
    }

    private func keyword(_ word: UInt32) -> Mention {
        Mention(kind: .keyword, full: [Token.lexicon(Int(word))], short: Token.lexicon(Int(word)))
    }
}

/// Calendar arithmetic for the timeline (UTC, proleptic Gregorian).
enum SynthCalendar {
    /// Seconds since 1970-01-01T00:00:00Z at 1 January of `year`.
    static func secondsAtNewYear(_ year: Int) -> Int64 {
        func leapDaysBefore(_ y: Int) -> Int { (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400 }
        let days = 365 * (year - 1970) + leapDaysBefore(year) - leapDaysBefore(1970)
        return Int64(days) * 86_400
    }
}
