// The SeeAlso product: importing SeeAlso brings the façade (`SeeAlsoEngine`) and the value types its
// API takes and returns, from the modules below it.
@_exported import SeeAlsoClustering
@_exported import SeeAlsoCorpus
@_exported import SeeAlsoIndex
@_exported import SeeAlsoSimilarity
@_exported import SeeAlsoSupport
@_exported import SeeAlsoText
@_exported import SeeAlsoVectorize
