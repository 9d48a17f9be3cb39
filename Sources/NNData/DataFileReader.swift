import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a data file front to back in chunks, decompressing gzip data on the fly.
///
/// Whether a file is gzip is decided by its first two bytes (1f 8b), not its name; a name ending in
/// `.gz` on a file without them is an error. `offset` counts the bytes delivered so far, so format
/// readers can name the offset of a problem in the data they see.
public final class DataFileReader {
    public let path: String
    /// True when the file is gzip-compressed.
    public var isCompressed: Bool { inflater != nil }
    /// Bytes delivered so far (of the decompressed stream for a gzip file).
    public private(set) var offset = 0

    private static let chunkSize = 1 << 16
    private let file: UnsafeMutablePointer<FILE>
    /// Raw bytes read from the file and not yet consumed: `chunk[chunkStart..<chunkEnd]`.
    private let chunk: UnsafeMutablePointer<UInt8>
    private var chunkStart = 0
    private var chunkEnd = 0
    /// Raw bytes read from the file so far.
    private var rawBytesRead = 0
    private var inflater: UnsafeMutablePointer<z_stream>?
    private var inflaterFinished = false

    /// Opens `path`; throws when it cannot be opened or read, when it is not a regular file (a FIFO
    /// would block, a device such as /dev/zero never ends), or when a `.gz` name lacks the gzip magic.
    public init(path: String) throws(DataFileError) {
        self.path = path
        file = try RegularFile.stream(at: path)
        chunk = .allocate(capacity: Self.chunkSize)
        try refillChunk()
        let hasGzipMagic = chunkEnd >= 2 && chunk[0] == 0x1F && chunk[1] == 0x8B
        if path.hasSuffix(".gz") && !hasGzipMagic {
            throw DataFileError(path: path, location: .compressedByte(0),
                                message: "not gzip data: the name ends in .gz but the file does not start with the gzip magic 1f 8b")
        }
        if hasGzipMagic { try startInflater() }
    }

    deinit {
        if let inflater {
            inflateEnd(inflater)
            inflater.deinitialize(count: 1)
            inflater.deallocate()
        }
        chunk.deallocate()
        fclose(file)
    }

    /// Fills `buffer` from the data; returns the bytes written, fewer than `buffer.count` only at
    /// the end of the data.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataFileError) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        let delivered = isCompressed
            ? try inflate(into: base.assumingMemoryBound(to: UInt8.self), count: buffer.count)
            : try copyRaw(into: base.assumingMemoryBound(to: UInt8.self), count: buffer.count)
        offset += delivered
        return delivered
    }

    /// Reads exactly `count` bytes, or returns fewer when the data ends first. Memory grows with
    /// the bytes actually read, so a corrupt header claiming terabytes fails at the data's end
    /// instead of allocating them.
    public func read(count: Int) throws(DataFileError) -> [UInt8] {
        var bytes: [UInt8] = []
        var failure: DataFileError?
        while bytes.count < count && failure == nil {
            let piece = Swift.min(count - bytes.count, Swift.max(bytes.count, Self.chunkSize))
            let before = bytes.count
            bytes.append(contentsOf: [UInt8](unsafeUninitializedCapacity: piece) { buffer, initializedCount in
                do throws(DataFileError) {
                    initializedCount = try read(into: UnsafeMutableRawBufferPointer(buffer))
                } catch {
                    failure = error
                    initializedCount = 0
                }
            })
            if bytes.count - before < piece { break }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Reads the rest of the data without keeping it; returns the data's whole length (`offset` at its end).
    public func skipToEnd() throws(DataFileError) -> Int {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 1)
        defer { scratch.deallocate() }
        while try read(into: scratch) == scratch.count {}
        return offset
    }

    /// The length of the data as stated without reading it: the file size for a plain file, the
    /// gzip trailer's size field (the length modulo 2³² of the last member) for a gzip file.
    public func statedLength() throws(DataFileError) -> Int {
        var status = stat()
        guard fstat(fileno(file), &status) == 0 else {
            throw DataFileError(path: path, location: .file, message: "cannot read its size: \(String(cString: strerror(errno)))")
        }
        let fileSize = Int(status.st_size)
        guard isCompressed else { return fileSize }
        var trailer = [UInt8](repeating: 0, count: 4)
        guard fileSize >= 18, pread(fileno(file), &trailer, 4, off_t(fileSize - 4)) == 4 else {
            throw DataFileError(path: path, location: .compressedByte(fileSize), message: "gzip data ends before its trailer")
        }
        return trailer.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    // MARK: Raw file access

    /// Replaces the consumed chunk with the next raw bytes of the file; leaves it empty at the end.
    private func refillChunk() throws(DataFileError) {
        let count = try readFile(into: chunk, count: Self.chunkSize)
        chunkStart = 0
        chunkEnd = count
    }

    /// Reads up to `count` raw bytes of the file; fewer only at its end.
    private func readFile(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(DataFileError) -> Int {
        let delivered = fread(destination, 1, count, file)
        if delivered < count && ferror(file) != 0 {
            throw DataFileError(path: path, location: isCompressed ? .compressedByte(rawBytesRead) : .byte(rawBytesRead),
                                message: "cannot read: \(String(cString: strerror(errno)))")
        }
        rawBytesRead += delivered
        return delivered
    }

    private func copyRaw(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(DataFileError) -> Int {
        var written = 0
        while written < count {
            let wanted = count - written
            if chunkStart == chunkEnd && wanted >= Self.chunkSize {
                // A large read bypasses the chunk: straight from the file into the destination.
                let delivered = try readFile(into: destination + written, count: wanted)
                written += delivered
                if delivered < wanted { break }
                continue
            }
            if chunkStart == chunkEnd {
                try refillChunk()
                if chunkEnd == 0 { break }
            }
            let take = min(wanted, chunkEnd - chunkStart)
            (destination + written).update(from: chunk + chunkStart, count: take)
            chunkStart += take
            written += take
        }
        return written
    }

    // MARK: Gzip

    private func startInflater() throws(DataFileError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        inflater = stream
        // 15 + 16: a 32 KiB window, gzip header and trailer (not zlib's).
        guard inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataFileError(path: path, location: .file, message: "cannot start zlib's decompressor")
        }
    }

    /// The raw file offset of the next byte the decompressor will consume.
    private var compressedOffset: Int { rawBytesRead - (chunkEnd - chunkStart) }

    private func inflate(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws(DataFileError) -> Int {
        guard let stream = inflater else { return 0 }
        var written = 0
        while written < count && !inflaterFinished {
            if chunkStart == chunkEnd {
                try refillChunk()
                if chunkEnd == 0 {
                    throw DataFileError(path: path, location: .compressedByte(rawBytesRead),
                                        message: "gzip data ends early: the file is truncated")
                }
            }
            stream.pointee.next_in = chunk + chunkStart
            stream.pointee.avail_in = UInt32(chunkEnd - chunkStart)
            stream.pointee.next_out = destination + written
            stream.pointee.avail_out = UInt32(min(count - written, Int(UInt32.max)))
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            let consumed = (chunkEnd - chunkStart) - Int(stream.pointee.avail_in)
            let produced = (count - written) - Int(stream.pointee.avail_out)
            chunkStart += consumed
            written += produced
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                try finishMember(stream)
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw DataFileError(path: path, location: .compressedByte(compressedOffset), message: "bad gzip data: \(reason)")
            }
        }
        return written
    }

    /// At the end of a gzip member: ends the data, or goes on into the next member (as `gunzip`
    /// does); bytes that are not a gzip member fail there as a bad gzip header.
    private func finishMember(_ stream: UnsafeMutablePointer<z_stream>) throws(DataFileError) {
        if chunkStart == chunkEnd { try refillChunk() }
        if chunkStart == chunkEnd {
            inflaterFinished = true
        } else {
            inflateReset(stream)
        }
    }
}
