/// The nnspec repository these targets were built from (three folders above this file), for the
/// data files the spec fuzzer's specs may name.
public let repositoryRoot: String = {
    var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    components.removeLast(4)  // Fuzz/Sources/FuzzSupport/Repository.swift
    return components.joined(separator: "/")
}()
