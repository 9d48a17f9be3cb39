import Foundation
import FuzzSupport

/// A folder from which the corpus's relative data paths resolve, made once in the scratch directory
/// out of symbolic links into the repository:
///
///     specs/             the fuzzed spec's folder
///     specs/data/…       examples/data/* (digits/, iris/ …) and specs/parity/data/*
///     data/              specs/data (what specs/valid and specs/invalid name as ../data)
enum SpecDataTree {
    static let specDirectory: String = {
        let root = ScratchDirectory.path
        let specs = "\(root)/specs", data = "\(specs)/data"
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: data, withIntermediateDirectories: true)
            try files.createSymbolicLink(atPath: "\(root)/data", withDestinationPath: "\(repositoryRoot)/specs/data")
            for folder in ["examples/data", "specs/parity/data"] {
                for entry in try files.contentsOfDirectory(atPath: "\(repositoryRoot)/\(folder)") {
                    try files.createSymbolicLink(atPath: "\(data)/\(entry)", withDestinationPath: "\(repositoryRoot)/\(folder)/\(entry)")
                }
            }
        } catch {
            fatalError("cannot lay out the data tree in \(root): \(error)")
        }
        return specs
    }()
}
