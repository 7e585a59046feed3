/// Pronounceable pseudo-words and capitalised names, built from syllables.
///
/// A syllable is onset + nucleus + coda; words take one to four syllables and sometimes an
/// English-looking ending. Everything is lowercase ASCII letters (names are capitalised by the
/// caller), so the JSON writer never needs to escape them.
enum WordForge {
    static let onsets: [String] = [
        "b", "bl", "br", "c", "ch", "cl", "cr", "d", "dr", "f", "fl", "fr", "g", "gl", "gr", "h", "j", "k",
        "l", "m", "n", "p", "pl", "pr", "qu", "r", "s", "sc", "sh", "sk", "sl", "sp", "st", "str", "t",
        "th", "tr", "v", "w", "z", "", "", "", "m", "l", "t", "r", "s", "d", "n",
    ]
    static let nuclei: [String] = [
        "a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "e", "ai", "ea", "ee", "oo", "ou", "ie", "au", "y", "io",
    ]
    static let codas: [String] = [
        "", "", "", "", "", "", "", "", "", "n", "r", "s", "l", "m", "t", "n", "r", "nd", "nt", "st", "rk", "ck", "ll", "ng", "x", "ss",
    ]
    static let endings: [String] = [
        "", "", "", "", "", "", "", "", "", "", "", "", "er", "ing", "ed", "s", "s", "es", "y", "al", "ly", "ion", "ent", "ous", "ive",
    ]
    static let surnameEndings: [String] = [
        "", "", "son", "sen", "ova", "ez", "ani", "berg", "ski", "ley", "ton", "ard", "ini", "o", "a", "ic", "ez", "man", "ell", "ov",
    ]
    static let placeEndings: [String] = [
        "", "ville", "ton", "ia", "stan", "burg", "port", "field", "mouth", "dale", "grad", "ford", "haven", "a", "o", "istan", "land",
    ]

    /// One syllable.
    static func syllable(_ random: inout FastRandom) -> String {
        onsets[random.below(onsets.count)] + nuclei[random.below(nuclei.count)] + codas[random.below(codas.count)]
    }

    /// A lowercase pseudo-word of `syllables` syllables, at least three letters long.
    static func word(syllables: Int, _ random: inout FastRandom, ending: Bool = true) -> String {
        var text = ""
        repeat {
            text = ""
            for _ in 0..<syllables { text += syllable(&random) }
            if ending { text += endings[random.below(endings.count)] }
        } while text.utf8.count < 3 || text.utf8.count > 13 || !looksPronounceable(text)
        return text
    }

    /// Rejects letter runs English avoids: a letter three times in a row, doubled a/i/u/y.
    static func looksPronounceable(_ text: String) -> Bool {
        var previous: UInt8 = 0, run = 0
        for byte in text.utf8 {
            run = byte == previous ? run + 1 : 1
            if run >= 3 { return false }
            if run == 2, byte == UInt8(ascii: "a") || byte == UInt8(ascii: "i") || byte == UInt8(ascii: "u") || byte == UInt8(ascii: "y") {
                return false
            }
            previous = byte
        }
        return true
    }

    /// A capitalised name: a pseudo-word with a surname- or place-like ending.
    static func name(_ random: inout FastRandom, endings: [String], syllables: ClosedRange<Int> = 1...3) -> String {
        var text = ""
        repeat {
            text = ""
            for _ in 0..<random.between(syllables.lowerBound, syllables.upperBound) { text += syllable(&random) }
            text += endings[random.below(endings.count)]
        } while text.utf8.count < 3 || text.utf8.count > 14 || !looksPronounceable(text)
        return capitalised(text)
    }

    static func capitalised(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}

/// Fixed English text of the model: function words, news-desk topics and their seed words,
/// organisation types, headline connectives.
enum EnglishWords {
    /// The most frequent English words of news text, roughly in frequency order. They take the
    /// top background ranks, so the Zipf head is real language and stop-word removal matters.
    static let frequent: [String] = [
        "the", "of", "to", "and", "a", "in", "that", "is", "for", "on", "it", "was", "with", "said", "he", "as", "at",
        "by", "be", "his", "from", "has", "have", "are", "but", "not", "an", "they", "this", "who", "had", "were",
        "will", "their", "been", "its", "which", "would", "she", "more", "after", "one", "her", "also", "we", "or",
        "about", "up", "there", "all", "two", "out", "when", "new", "than", "year", "into", "last", "over", "other",
        "people", "can", "time", "first", "if", "could", "some", "them", "what", "no", "so", "three", "only", "years",
        "most", "before", "while", "him", "our", "just", "like", "against", "because", "where", "then", "through",
        "may", "any", "told", "how", "made", "under", "back", "between", "during", "those", "week", "being", "now",
        "many", "since", "even", "still", "should", "make", "you", "do", "these", "off", "down", "such", "very",
        "did", "well", "both", "much", "get", "own", "around", "day", "including", "according", "percent", "million",
        "says", "next", "four", "take", "going", "expected", "part", "early", "already", "known", "found", "took",
        "former", "public", "several", "added", "later", "although", "whether", "group", "second", "third", "state",
        "local", "city", "country", "officials", "month", "told", "report", "reported", "statement", "number",
    ]

    /// Words that join headline phrases.
    static let connectives: [String] = ["in", "after", "over", "as", "for", "to", "of", "on", "with", "at", "against", "amid", "by", "from"]

    /// Types that follow an organisation's name ("Korvane Group").
    static let organisationTypes: [String] = [
        "Group", "Bank", "Institute", "Party", "Council", "Holdings", "Foundation", "Agency", "Corporation", "Union",
        "Authority", "Systems", "Labs", "Partners", "Airlines", "Motors", "Energy", "Media", "Pharma", "University",
        "Hospital", "Museum", "Festival", "Club", "Federation", "Alliance", "Commission", "Court", "Trust", "United",
    ]

    /// Suffixes of outlet names ("dravonherald").
    static let outletSuffixes: [String] = [
        "times", "post", "herald", "tribune", "gazette", "news", "chronicle", "observer", "journal", "daily", "express",
        "record", "standard", "courier", "mail", "monitor", "ledger", "sentinel", "review", "wire",
    ]

    /// News desks: topic name and a few real seed words boosted in it.
    static let desks: [(name: String, words: [String])] = [
        ("politics", ["election", "minister", "parliament", "vote", "campaign", "party", "policy", "opposition", "coalition", "senator"]),
        ("sport", ["match", "team", "coach", "season", "goal", "league", "championship", "players", "victory", "striker"]),
        ("business", ["shares", "company", "profit", "market", "investors", "revenue", "merger", "chief", "executive", "quarter"]),
        ("technology", ["software", "smartphone", "internet", "users", "data", "app", "startup", "chip", "online", "devices"]),
        ("science", ["researchers", "study", "scientists", "species", "space", "discovery", "laboratory", "journal", "experiment", "mission"]),
        ("health", ["patients", "hospital", "doctors", "virus", "vaccine", "disease", "treatment", "outbreak", "medical", "cancer"]),
        ("entertainment", ["film", "actor", "star", "show", "singer", "series", "festival", "celebrity", "premiere", "award"]),
        ("world", ["president", "foreign", "border", "troops", "talks", "leaders", "summit", "embassy", "refugees", "ceasefire"]),
        ("crime", ["police", "arrested", "court", "charged", "suspect", "murder", "trial", "jury", "prison", "investigation"]),
        ("environment", ["climate", "emissions", "wildlife", "pollution", "forest", "carbon", "conservation", "drought", "species", "flooding"]),
        ("education", ["school", "students", "teachers", "university", "exam", "pupils", "tuition", "campus", "curriculum", "degree"]),
        ("travel", ["tourists", "flights", "hotel", "airport", "holiday", "visitors", "destination", "cruise", "passengers", "resort"]),
        ("culture", ["art", "museum", "exhibition", "book", "author", "gallery", "painting", "novel", "theatre", "heritage"]),
        ("economy", ["inflation", "growth", "rates", "unemployment", "budget", "debt", "economists", "prices", "tax", "recession"]),
        ("weather", ["storm", "rain", "temperatures", "forecast", "snow", "winds", "heatwave", "hurricane", "warnings", "flood"]),
        ("music", ["album", "band", "concert", "tour", "song", "singer", "chart", "guitarist", "fans", "record"]),
        ("film", ["director", "box", "office", "cinema", "sequel", "studio", "screenplay", "trailer", "cast", "oscar"]),
        ("religion", ["church", "pope", "faith", "bishop", "mosque", "worshippers", "clergy", "pilgrims", "temple", "prayer"]),
        ("transport", ["rail", "trains", "road", "traffic", "drivers", "commuters", "bus", "motorway", "strike", "fares"]),
        ("energy", ["oil", "gas", "power", "electricity", "solar", "wind", "pipeline", "nuclear", "grid", "fuel"]),
        ("agriculture", ["farmers", "crops", "harvest", "cattle", "wheat", "farm", "livestock", "fertiliser", "dairy", "rural"]),
        ("military", ["army", "soldiers", "defence", "navy", "missile", "forces", "military", "drills", "weapons", "veterans"]),
        ("law", ["judge", "ruling", "lawyers", "supreme", "appeal", "legislation", "constitutional", "lawsuit", "verdict", "rights"]),
        ("fashion", ["designer", "collection", "runway", "models", "brand", "luxury", "clothing", "style", "fashion", "boutique"]),
    ]
}
