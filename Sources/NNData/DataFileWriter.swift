import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes data files, plain or gzip-compressed (readable back by `DataFileReader` and by `gunzip`).
public enum DataFileWriter {
    /// Writes `bytes` to `path`, replacing it; gzip-compresses them first when `compressed`.
    public static func write(_ bytes: [UInt8], to path: String, compressed: Bool) throws(DataFileError) {
        let contents = compressed ? try gzipCompressed(bytes, path: path) : bytes
        guard let file = fopen(path, "wb") else {
            throw DataFileError(path: path, location: .file, message: "cannot create: \(String(cString: strerror(errno)))")
        }
        let written = contents.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file) == 0
        guard written == contents.count, closed else {
            throw DataFileError(path: path, location: .byte(written), message: "cannot write: \(String(cString: strerror(errno)))")
        }
    }

    /// `bytes` as one gzip member at zlib's default compression level.
    static func gzipCompressed(_ bytes: [UInt8], path: String) throws(DataFileError) -> [UInt8] {
        // zlib keeps a pointer back to its stream: the stream needs a fixed address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // 15 + 16: a 32 KiB window with a gzip header and trailer; memory level 8 is zlib's default.
        guard deflateInit2_(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataFileError(path: path, location: .file, message: "cannot start zlib's compressor")
        }
        defer { deflateEnd(stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(bytes.count))))
        let status = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.pointee.avail_out = uInt(out.count)
                return deflate(stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else {
            throw DataFileError(path: path, location: .file, message: "zlib's compressor failed (status \(status))")
        }
        output.removeLast(output.count - Int(stream.pointee.total_out))
        return output
    }
}
