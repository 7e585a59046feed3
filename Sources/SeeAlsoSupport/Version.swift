/// The SeeAlso release this code is: what `seealso --version` prints and what an index records as
/// its writer (`IndexManifest.writtenBy`). Semantic versioning; raised with every release.
public enum SeeAlsoVersion {
    public static let current = "0.9.0"
}
