import Foundation
import Testing

/// Package.swift's build settings, read as SwiftPM reads them (`swift package dump-package` on a copy
/// of the manifest, so that the running build's lock on .build is never waited for):
/// - fetched as another package's dependency (under `…/checkouts/`), no target of a library product
///   carries an unsafe flag, which SwiftPM would refuse ("contains unsafe build flags");
/// - built here, `-Ounchecked` is on NNTensor only (no file parser), and the kernels target
///   the building machine's CPU unless NNSPEC_PORTABLE=1 asks for x86-64-v3.
/// Tests/ConsumerPackage/check.sh builds a real consumer against a fetched copy (.ci/run runs it).
@Suite struct PackageManifestTests {
    /// The manifest's targets (name → settings, dependencies) and library products (name → targets).
    struct Manifest {
        var settings: [String: [[String: Any]]] = [:]
        var dependencies: [String: [String]] = [:]
        var libraries: [String: [String]] = [:]

        /// The unsafe flags of `target`, each set joined by spaces ("-Xcc -march=x86-64-v3").
        func unsafeFlags(of target: String) -> [String] {
            (settings[target] ?? []).compactMap { setting in
                guard let kind = setting["kind"] as? [String: Any], let flags = kind["unsafeFlags"] as? [String: [String]] else { return nil }
                return flags["_0"]?.joined(separator: " ")
            }
        }

        /// `product`'s targets and every target of this package they depend on.
        func targets(of product: String) -> Set<String> {
            var found = Set<String>(), pending = libraries[product] ?? []
            while let target = pending.popLast() {
                guard found.insert(target).inserted else { continue }
                pending += (dependencies[target] ?? []).filter { settings[$0] != nil }
            }
            return found
        }
    }

    /// Dumps Package.swift copied to `directory` (made under a fresh temporary folder), in this
    /// process's environment without NNSPEC_PORTABLE, with `environment` added.
    func manifest(copiedTo directory: String, environment added: [String: String] = [:]) throws -> Manifest {
        let folder = FileManager.default.temporaryDirectory.appending(path: "nnspec-manifest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let packageDirectory = folder.appending(path: directory)
        try FileManager.default.createDirectory(at: packageDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: NNSpecBinary.repositoryRoot.appending(path: "Package.swift"),
                                        to: packageDirectory.appending(path: "Package.swift"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "package", "--package-path", packageDirectory.path, "dump-package"]
        var environment = ProcessInfo.processInfo.environment
        environment["NNSPEC_PORTABLE"] = nil
        process.environment = environment.merging(added) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var manifest = Manifest()
        for target in json["targets"] as? [[String: Any]] ?? [] {
            guard let name = target["name"] as? String else { continue }
            manifest.settings[name] = target["settings"] as? [[String: Any]] ?? []
            manifest.dependencies[name] = (target["dependencies"] as? [[String: Any]] ?? []).compactMap {
                (($0["byName"] ?? $0["target"]) as? [Any])?.first as? String
            }
        }
        for product in json["products"] as? [[String: Any]] ?? [] {
            guard let name = product["name"] as? String, let type = product["type"] as? [String: Any], type["library"] != nil else { continue }
            manifest.libraries[name] = product["targets"] as? [String] ?? []
        }
        return manifest
    }

    @Test func fetchedCopyHasNoUnsafeFlagsInItsLibraries() throws {
        let manifest = try manifest(copiedTo: ".build/checkouts/nnspec")
        #expect(Set(manifest.libraries.keys).isSuperset(of: ["NNSpec", "NN", "NNRun", "NNCatalogue", "NNData"]))
        for product in manifest.libraries.keys {
            for target in manifest.targets(of: product) {
                #expect(manifest.unsafeFlags(of: target).isEmpty, "\(product) contains \(target) with \(manifest.unsafeFlags(of: target))")
            }
        }
    }

    @Test func uncheckedOnlyInTheKernels() throws {
        let manifest = try manifest(copiedTo: "nnspec")
        #expect(manifest.targets(of: "NN").contains("NNTensor"))
        for target in manifest.settings.keys {
            let unchecked = manifest.unsafeFlags(of: target).joined(separator: " ").split(separator: " ").contains("-Ounchecked")
            #expect(unchecked == (target == "NNTensor"), "\(target): \(manifest.unsafeFlags(of: target))")
        }
    }

    @Test func kernelsAreNativeUnlessPortableIsAsked() throws {
        let native = try manifest(copiedTo: "nnspec"), portable = try manifest(copiedTo: "nnspec", environment: ["NNSPEC_PORTABLE": "1"])
        for target in ["NNTensor", "NN", "NNRun"] {
            #expect(!portable.unsafeFlags(of: target).contains("-Xcc -march=native"))
            #expect(native.unsafeFlags(of: target).contains("-Xcc -march=native"))
            #if arch(x86_64)
            #expect(portable.unsafeFlags(of: target).contains("-Xcc -march=x86-64-v3"))
            #endif
        }
    }
}
