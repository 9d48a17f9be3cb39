/// A data file read front to back in runs of samples (its first dimension), as Float, so a file of
/// any size is fed with memory bounded by the run: `NPYFile`, `IDXSampleReader`.
public protocol SampleFileReader: AnyObject {
    /// The shape of one sample: the file's dimensions after the first.
    var sampleShape: [Int] { get }
    /// Elements per sample.
    var sampleElementCount: Int { get }
    /// Samples not yet read.
    var remainingSamples: Int { get }
    /// Reads the next `count` samples (at most the remaining ones) into `buffer` (replaced):
    /// `count × sampleElementCount` values in row-major order.
    func readSamples(_ count: Int, into buffer: inout [Float]) throws(DataFileError)
}
