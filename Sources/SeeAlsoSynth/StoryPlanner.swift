import Foundation

/// Purposes of derived random streams (see `SeedMixer.derive`).
enum Stream {
    static let sizes: UInt64 = 0x5123
    static let story: UInt64 = 0x5707
    static let article: UInt64 = 0xA271
    static let copyEdit: UInt64 = 0xC0B1
    static let roundUps: UInt64 = 0x80D5
}

/// An entity or keyword of a story, with how often articles use it and from which point of the
/// story on (`introduction` in 0…1 of the story's time span: later developments bring new names).
struct StoryItem: Sendable {
    var mention: Mention
    var weight: Double
    var introduction: Double
}

/// One story (event): its desk, its own names, its size and its place on the timeline.
/// Immutable once planned; shared by every article of the story.
final class StoryPlan: Sendable {
    /// 0-based, in start order; the gold event id is `e` + (number + 1).
    let number: Int
    let topic: Int
    /// A second desk lending some words (a story about the business of sport), or `topic`.
    let secondaryTopic: Int
    let seed: UInt64
    let localWords: WordStore
    /// Most important first.
    let items: [StoryItem]
    let originals: Int
    let copies: Int
    let start: Int64
    let span: Int64

    init(number: Int, topic: Int, secondaryTopic: Int, seed: UInt64, localWords: WordStore, items: [StoryItem],
         originals: Int, copies: Int, start: Int64, span: Int64) {
        self.number = number
        self.topic = topic
        self.secondaryTopic = secondaryTopic
        self.seed = seed
        self.localWords = localWords
        self.items = items
        self.originals = originals
        self.copies = copies
        self.start = start
        self.span = span
    }
}

/// What the planner hands to a renderer: everything needed to write one article, independently
/// of every other article.
struct ArticleSpec: Sendable {
    var story: StoryPlan
    /// 0-based position in the output; the id is derived from it.
    var ordinal: Int
    var time: Int64
    /// Which original of the story this is (or copies).
    var index: Int
    /// 0 for the original, ≥ 1 for a syndicated copy.
    var copy: Int
    /// Where the original falls in the story's span, 0…1.
    var progress: Double
    /// Another story running at the same time that this article also covers (a round-up), or nil.
    var related: StoryPlan?
}

/// Draws story sizes: the one sequential random stream of the generator, replayed twice
/// (a counting pass to learn how many stories N articles need, then the real pass).
struct StorySizer {
    private var random: FastRandom
    let singletonProbability: Double
    let copyProbability: Double
    let tailExponent: Double
    let cap: Int

    init(configuration: SynthConfiguration) {
        random = FastRandom(seed: SeedMixer.derive(configuration.seed, Stream.sizes))
        tailExponent = configuration.storySizeTailExponent
        cap = max(2, min(configuration.maxStorySize, configuration.articles / 10))
        // Mean size of a non-singleton story: E[min(S, cap)] = Σ_{s ≥ 1} P(S ≥ s), P(S ≥ s) = (s/2)^-a.
        var mean = 1.0
        for size in 2...cap { mean += Foundation.pow(Double(size) / 2, -tailExponent) }
        let share = configuration.singletonShare
        // share = q / (q + (1 - q) mean)  ⇒  q = share·mean / (1 − share + share·mean)
        singletonProbability = share >= 1 ? 1 : share * mean / (1 - share + share * mean)
        let rate = configuration.duplicateRate
        copyProbability = rate / (1 - rate)
    }

    /// The next story's originals and copies, cut so that their sum stays within `remaining`.
    mutating func next(remaining: Int) -> (originals: Int, copies: Int) {
        var originals = 1
        if !random.chance(singletonProbability) {
            let u = 1 - random.unit()
            originals = min(cap, max(2, Int(2 * Foundation.pow(u, -1 / tailExponent))))
        }
        var copies = 0
        if copyProbability > 0 {
            for _ in 0..<originals where random.chance(copyProbability) { copies += 1 }
        }
        if originals >= remaining { return (remaining, 0) }
        return (originals, min(copies, remaining - originals))
    }

    /// How many stories `articles` articles take.
    static func storyCount(configuration: SynthConfiguration) -> Int {
        var sizer = StorySizer(configuration: configuration)
        var remaining = configuration.articles
        var stories = 0
        while remaining > 0 {
            let (originals, copies) = sizer.next(remaining: remaining)
            remaining -= originals + copies
            stories += 1
        }
        return stories
    }
}

/// Lays stories out on the timeline and emits their articles in date order.
///
/// Story k of S starts at a uniformly jittered point of slot k of the timeline; its articles
/// (front-loaded over a heavy-tailed span) and their copies (minutes to days after the original)
/// are merged with those of every other active story through a min-heap. Only active stories
/// are in memory, so memory depends on the article rate per day, not on N.
final class StoryPlanner {
    let configuration: SynthConfiguration
    let lexicon: Lexicon
    let storyCount: Int
    let timelineStart: Int64
    let timelineEnd: Int64
    private var sizer: StorySizer
    private var remaining: Int
    private var created = 0
    private var pending: StoryCursor?
    private var heap: [StoryCursor] = []
    private var recent: [[StoryPlan]]
    /// Sequential choices of the planner itself (round-up partners).
    private var crossRandom: FastRandom
    private static let recentPerTopic = 12

    /// Articles emitted so far, copies among them, stories started.
    private(set) var emitted = 0
    private(set) var duplicates = 0
    var storiesStarted: Int { created }
    /// Most active stories at once (for memory reasoning).
    private(set) var peakActiveStories = 0

    init(configuration: SynthConfiguration, lexicon: Lexicon) {
        self.configuration = configuration
        self.lexicon = lexicon
        storyCount = StorySizer.storyCount(configuration: configuration)
        sizer = StorySizer(configuration: configuration)
        remaining = configuration.articles
        timelineStart = SynthCalendar.secondsAtNewYear(configuration.startYear)
        timelineEnd = SynthCalendar.secondsAtNewYear(configuration.startYear + configuration.years)
        recent = Array(repeating: [], count: configuration.topics)
        crossRandom = FastRandom(seed: SeedMixer.derive(configuration.seed, Stream.roundUps))
    }

    /// The next article in date order, or nil after the last.
    func next() -> ArticleSpec? {
        while true {
            if pending == nil && created < storyCount && remaining > 0 {
                pending = StoryCursor(plan: makeStory(), lastSecond: timelineEnd - 1)
            }
            if let top = heap.first, pending == nil || top.nextTime <= pending!.plan.start {
                let event = top.events[top.position]
                // Round-ups: an original sometimes covers a second active story; its copies repeat the choice.
                var related: StoryPlan?
                if event.copy == 0 {
                    if heap.count > 1, crossRandom.chance(configuration.roundUpChance) {
                        let other = heap[1 + crossRandom.below(heap.count - 1)].plan
                        related = other
                        top.related[event.index] = other
                    }
                } else {
                    related = top.related[event.index]
                }
                top.position += 1
                if top.position == top.events.count { popHeap() } else { siftDown(0) }
                let spec = ArticleSpec(story: top.plan, ordinal: emitted, time: event.time, index: Int(event.index),
                                       copy: Int(event.copy), progress: Double(event.progress), related: related)
                emitted += 1
                if event.copy > 0 { duplicates += 1 }
                return spec
            }
            guard let story = pending else { return nil }
            pending = nil
            pushHeap(story)
            peakActiveStories = max(peakActiveStories, heap.count)
        }
    }

    /// Up to `limit` next articles; nil at the end.
    func nextBatch(limit: Int) -> [ArticleSpec]? {
        var batch: [ArticleSpec] = []
        batch.reserveCapacity(limit)
        while batch.count < limit, let spec = next() { batch.append(spec) }
        return batch.isEmpty ? nil : batch
    }

    // MARK: Stories

    private func makeStory() -> StoryPlan {
        let number = created
        created += 1
        let (originals, copies) = sizer.next(remaining: remaining)
        remaining -= originals + copies
        let seed = SeedMixer.derive(configuration.seed, Stream.story, UInt64(number))
        var random = FastRandom(seed: seed)
        let length = timelineEnd - timelineStart
        let start = timelineStart + Int64(Double(length) * (Double(number) + random.unit()) / Double(storyCount))
        let topicCount = lexicon.topics.count
        let topic = lexicon.topicSampler.sample(&random)
        let secondary = topicCount > 1 && random.chance(0.5) ? (topic + 1 + random.below(topicCount - 1)) % topicCount : topic
        var span: Int64 = 0
        if originals > 1 {
            let days = min(120, 0.25 + random.logNormal(median: 1.2 * Foundation.pow(Double(originals), 0.45), sigma: 0.9))
            span = min(Int64(days * 86_400), timelineEnd - 1 - start)
        }
        var builder = StoryBuilder(lexicon: lexicon, topic: topic, secondaryTopic: secondary, random: random)
        if originals > 1, random.chance(configuration.followUpChance), !recent[topic].isEmpty {
            builder.inherit(from: recent[topic][builder.random.below(recent[topic].count)], share: configuration.inheritShare)
        }
        builder.addFreshItems(originals: originals)
        random = builder.random
        let plan = StoryPlan(number: number, topic: topic, secondaryTopic: secondary, seed: seed,
                             localWords: builder.local, items: builder.finishedItems(), originals: originals,
                             copies: copies, start: start, span: span)
        if originals > 1 {
            recent[topic].append(plan)
            if recent[topic].count > Self.recentPerTopic { recent[topic].removeFirst() }
        }
        return plan
    }

    // MARK: Heap of active stories, by (next time, story number)

    private func precedes(_ a: StoryCursor, _ b: StoryCursor) -> Bool {
        a.nextTime != b.nextTime ? a.nextTime < b.nextTime : a.plan.number < b.plan.number
    }

    private func pushHeap(_ cursor: StoryCursor) {
        heap.append(cursor)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func popHeap() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var best = left
            if left + 1 < heap.count, precedes(heap[left + 1], heap[left]) { best = left + 1 }
            guard precedes(heap[best], heap[parent]) else { return }
            heap.swapAt(best, parent)
            parent = best
        }
    }
}

/// One publication of a story: an original or a copy of one.
struct StoryEvent {
    var time: Int64
    var index: Int32
    var copy: Int32
    var progress: Float
}

/// A story being emitted: its publications in date order and how far it has got.
final class StoryCursor {
    let plan: StoryPlan
    let events: [StoryEvent]
    var position = 0
    /// The round-up partner chosen for an original, kept for its copies.
    var related: [Int32: StoryPlan] = [:]

    var nextTime: Int64 { events[position].time }

    /// `lastSecond`: the last second of the timeline; copies of late articles are kept before it.
    init(plan: StoryPlan, lastSecond: Int64) {
        self.plan = plan
        var random = FastRandom(seed: SeedMixer.derive(plan.seed, 0x71DE))
        let end = plan.start + plan.span
        var times = [plan.start]
        for _ in 1..<max(1, plan.originals) {
            // Front-loaded: most coverage comes in the first days.
            let offset = Double(plan.span) * Foundation.pow(random.unit(), 1.7)
            times.append(min(end, plan.start + Int64(offset)))
        }
        times.sort()
        let span = Double(max(1, plan.span))
        var events = times.enumerated().map {
            StoryEvent(time: $0.element, index: Int32($0.offset), copy: 0, progress: Float(Double($0.element - plan.start) / span))
        }
        for copy in 0..<plan.copies {
            let original = events[random.below(plan.originals)]
            let delay = min(3 * 86_400, max(300, random.logNormal(median: 3 * 3600, sigma: 1.3)))
            events.append(StoryEvent(time: min(lastSecond, original.time + Int64(delay)), index: original.index,
                                     copy: Int32(copy + 1), progress: original.progress))
        }
        events.sort { $0.time != $1.time ? $0.time < $1.time : ($0.index != $1.index ? $0.index < $1.index : $0.copy < $1.copy) }
        self.events = events
    }
}
