import Foundation

/// A word token of generated text, packed in 32 bits: the top two bits say what the rest is.
///
/// - `lexicon`: a word of the shared `Lexicon` (background, topic, names shared between stories);
/// - `local`: a word of the story's own table (its fresh person, place and organisation names);
/// - `number`: a number, value in the low 24 bits and style in the next 6;
/// - `mark`: punctuation and layout (`Token.period`, `Token.comma`, …).
enum Token {
    static let lexiconKind: UInt32 = 0
    static let localKind: UInt32 = 1 << 30
    static let numberKind: UInt32 = 2 << 30
    static let markKind: UInt32 = 3 << 30
    static let kindMask: UInt32 = 3 << 30
    static let payloadMask: UInt32 = ~(3 << 30)
    /// On a `local` token: the word is in the round-up partner's table, not the story's own.
    static let relatedFlag: UInt32 = 1 << 29

    static let period = markKind | 0
    static let comma = markKind | 1
    static let paragraph = markKind | 2
    static let quoteOpen = markKind | 3
    static let quoteCloseComma = markKind | 4
    static let question = markKind | 5

    @inline(__always) static func lexicon(_ index: Int) -> UInt32 { UInt32(truncatingIfNeeded: index) }
    @inline(__always) static func local(_ index: Int) -> UInt32 { localKind | UInt32(truncatingIfNeeded: index) }
    @inline(__always) static func number(_ value: Int, style: Int) -> UInt32 {
        numberKind | UInt32(truncatingIfNeeded: style) << 24 | UInt32(truncatingIfNeeded: value & 0xFF_FFFF)
    }
    @inline(__always) static func isWord(_ token: UInt32) -> Bool { token & kindMask != markKind }
}

/// Words stored back to back: one byte buffer plus start offsets. Immutable once built, so any
/// number of threads may read it.
struct WordStore: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var starts: [UInt32] = [0]

    var count: Int { starts.count - 1 }

    /// Appends `word` and returns its index.
    @discardableResult
    mutating func append(_ word: some Collection<UInt8>) -> Int {
        bytes.append(contentsOf: word)
        starts.append(UInt32(bytes.count))
        return starts.count - 2
    }

    func word(_ index: Int) -> ArraySlice<UInt8> { bytes[Int(starts[index])..<Int(starts[index + 1])] }

    func string(_ index: Int) -> String { String(decoding: word(index), as: UTF8.self) }
}

/// A way to mention an entity or keyword: one to three tokens in full, and a short form
/// (the surname of a person, the name of an organisation without its type).
struct Mention: Sendable, Equatable {
    enum Kind: UInt8, Sendable { case person, place, organisation, keyword }
    var kind: Kind
    var full: [UInt32]
    var short: UInt32
}

/// A news desk: its name, its boosted words (Zipf-weighted) and its recurring entities.
/// A class so that the hot loop passes it around without copying (and retaining) its arrays.
final class TopicModel: Sendable {
    let name: String
    /// Lexicon indices, most frequent first.
    let words: [UInt32]
    let wordSampler: AliasTable
    /// Famous people, places and organisations of the desk, most frequent first.
    let entities: [Mention]
    let entitySampler: AliasTable

    init(name: String, words: [UInt32], wordSampler: AliasTable, entities: [Mention], entitySampler: AliasTable) {
        self.name = name
        self.words = words
        self.wordSampler = wordSampler
        self.entities = entities
        self.entitySampler = entitySampler
    }
}

/// Everything the generator shares between stories: background vocabulary with its Zipf
/// distribution, topics, first names, organisation types and outlets. Built once from the seed.
final class Lexicon: Sendable {
    let words: WordStore
    /// Background words are lexicon indices `0..<backgroundCount`, by rank.
    let backgroundCount: Int
    /// Ranks `0..<frequentCount` are real English function and news words.
    let frequentCount: Int
    let background: AliasTable
    let topics: [TopicModel]
    let topicSampler: AliasTable
    let firstNames: [UInt32]
    let firstNameSampler: AliasTable
    let organisationTypes: [UInt32]
    let connectives: [UInt32]
    let said: UInt32
    let outlets: [[UInt8]]
    let outletSampler: AliasTable

    init(configuration: SynthConfiguration) {
        var random = FastRandom(seed: SeedMixer.derive(configuration.seed, 0x1E81C0))
        var store = WordStore()
        var index: [String: UInt32] = [:]
        func intern(_ word: String) -> UInt32 {
            if let known = index[word] { return known }
            let position = UInt32(store.append(word.utf8))
            index[word] = position
            return position
        }
        // Real words are reserved so that no pseudo-word collides with them.
        var reserved = Set(EnglishWords.frequent)
        for desk in EnglishWords.desks { reserved.formUnion(desk.words); reserved.insert(desk.name) }
        reserved.formUnion(EnglishWords.connectives)
        reserved.formUnion(EnglishWords.organisationTypes.map { $0.lowercased() })
        func fresh(_ make: (inout FastRandom) -> String) -> String {
            while true {
                let candidate = make(&random)
                if !reserved.contains(candidate.lowercased()) && index[candidate] == nil {
                    reserved.insert(candidate.lowercased())
                    return candidate
                }
            }
        }

        // Background: real words on top, then pseudo-words, shorter at higher ranks.
        for word in EnglishWords.frequent where index[word] == nil { _ = intern(word) }
        let frequentCount = store.count
        let size = configuration.vocabularySize
        while store.count < size {
            let rank = store.count
            let syllables: Int
            switch rank {
            case ..<1_000: syllables = random.chance(0.6) ? 1 : 2
            case ..<10_000: syllables = random.chance(0.85) ? 2 : 3
            default: syllables = random.chance(0.7) ? 2 : 3
            }
            _ = intern(fresh { WordForge.word(syllables: syllables, &$0) })
        }
        let backgroundCount = store.count
        let background = AliasTable(weights: AliasTable.zipfWeights(count: backgroundCount, exponent: configuration.zipfExponent))

        let said = intern("said")
        let connectives = EnglishWords.connectives.map { intern($0) }
        let organisationTypes = EnglishWords.organisationTypes.map { intern($0) }
        let firstNames = (0..<400).map { _ in
            intern(fresh { WordForge.name(&$0, endings: ["", "", "a", "o", "el", "in", "ie", "an", "is", "us"], syllables: 1...2) })
        }
        let firstNameSampler = AliasTable(weights: AliasTable.zipfWeights(count: firstNames.count, exponent: 0.9, offset: 3))

        // Topics: own words drawn log-uniformly from the background below the head, then some
        // borrowed from the next two desks so that related desks overlap.
        let topicCount = configuration.topics
        let perTopic = configuration.topicVocabularySize
        var names: [String] = []
        var seeds: [[UInt32]] = []
        for topic in 0..<topicCount {
            if topic < EnglishWords.desks.count {
                names.append(EnglishWords.desks[topic].name)
                seeds.append(EnglishWords.desks[topic].words.map { intern($0) })
            } else {
                names.append(fresh { WordForge.word(syllables: 2, &$0, ending: false) })
                seeds.append([])
            }
        }
        let lowRank = Double(frequentCount + 60), highRank = Double(backgroundCount)
        var own: [[UInt32]] = []
        for topic in 0..<topicCount {
            var chosen = Set<UInt32>(seeds[topic])
            var list: [UInt32] = []
            let ownCount = perTopic - Int(Double(perTopic) * configuration.topicBorrowShare)
            let target = max(0, ownCount - seeds[topic].count)
            while list.count < target {
                let rank = UInt32(Foundation.exp(Foundation.log(lowRank) + random.unit() * Foundation.log(highRank / lowRank)))
                if rank < backgroundCount, chosen.insert(rank).inserted { list.append(rank) }
            }
            own.append(list)
        }
        var topicModels: [TopicModel] = []
        for topic in 0..<topicCount {
            var borrowed: [UInt32] = []
            let borrowCount = perTopic - seeds[topic].count - own[topic].count
            if topicCount > 1 {
                var taken = Set(own[topic])
                for step in 1...min(2, topicCount - 1) {
                    let neighbour = own[(topic + step) % topicCount]
                    let quota = borrowed.count + (borrowCount - borrowed.count) / (3 - step)
                    for word in neighbour where borrowed.count < quota && taken.insert(word).inserted {
                        borrowed.append(word)
                    }
                }
            }
            var body = own[topic] + borrowed
            body.shuffle(using: &random)
            let words = seeds[topic] + body
            var entities: [Mention] = []
            for _ in 0..<400 {
                let roll = random.unit()
                if roll < 0.5 {
                    let first = firstNames[firstNameSampler.sample(&random)]
                    let surname = intern(fresh { WordForge.name(&$0, endings: WordForge.surnameEndings) })
                    entities.append(Mention(kind: .person, full: [first, surname], short: surname))
                } else if roll < 0.75 {
                    let place = intern(fresh { WordForge.name(&$0, endings: WordForge.placeEndings) })
                    entities.append(Mention(kind: .place, full: [place], short: place))
                } else {
                    let name = intern(fresh { WordForge.name(&$0, endings: ["", "", "ex", "on", "ia", "co", "tek"], syllables: 1...2) })
                    let type = organisationTypes[random.below(organisationTypes.count)]
                    entities.append(Mention(kind: .organisation, full: [name, type], short: name))
                }
            }
            topicModels.append(TopicModel(
                name: names[topic], words: words,
                wordSampler: AliasTable(weights: AliasTable.zipfWeights(count: words.count, exponent: 1.0, offset: 1)),
                entities: entities,
                entitySampler: AliasTable(weights: AliasTable.zipfWeights(count: entities.count, exponent: 1.0))))
        }
        // Desks differ in volume: politics and sport publish more than fashion.
        let topicSampler = AliasTable(weights: AliasTable.zipfWeights(count: topicCount, exponent: 0.6, offset: 2))

        var outletNames: [[UInt8]] = []
        var outletSeen = Set<String>()
        while outletNames.count < 48 {
            let name = WordForge.word(syllables: random.between(1, 2), &random, ending: false)
                + EnglishWords.outletSuffixes[random.below(EnglishWords.outletSuffixes.count)]
            if outletSeen.insert(name).inserted { outletNames.append(Array(name.utf8)) }
        }
        self.frequentCount = frequentCount
        self.backgroundCount = backgroundCount
        self.background = background
        self.said = said
        self.connectives = connectives
        self.organisationTypes = organisationTypes
        self.firstNames = firstNames
        self.firstNameSampler = firstNameSampler
        topics = topicModels
        self.topicSampler = topicSampler
        outlets = outletNames
        outletSampler = AliasTable(weights: AliasTable.zipfWeights(count: outletNames.count, exponent: 0.8, offset: 1))
        words = store
    }

    /// A background word of rank at least `minimumRank` (rejection sampling from the Zipf law).
    @inline(__always)
    func backgroundWord(_ random: inout FastRandom, minimumRank: Int = 0) -> UInt32 {
        while true {
            let rank = background.sample(&random)
            if rank >= minimumRank { return UInt32(rank) }
        }
    }

    /// A content word of the background drawn log-uniformly between `low` and the vocabulary size.
    func midFrequencyWord(_ random: inout FastRandom, low: Int) -> UInt32 {
        let lowRank = Double(max(1, low)), highRank = Double(backgroundCount)
        let rank = Int(Foundation.exp(Foundation.log(lowRank) + random.unit() * Foundation.log(highRank / lowRank)))
        return UInt32(min(backgroundCount - 1, rank))
    }
}
