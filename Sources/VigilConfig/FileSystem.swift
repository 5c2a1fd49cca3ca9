#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system calls config reading needs, on POSIX directly: `stat` follows symlinks
/// (a ConfigMap key is a link into `..data/`), and the errno of each failure is kept.
enum FileSystem {
    enum Kind: Equatable {
        case file, directory, other
        /// Absent, or a symlink whose target is absent.
        case missing
    }

    struct Failure: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { String(cString: strerror(errno)) }
    }

    static func kind(of path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// Entry names in a directory, sorted bytewise, without `.` and `..`.
    static func list(_ path: String) -> Result<[String], Failure> {
        guard let dir = opendir(path) else { return .failure(Failure(errno: errno)) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return .success(names)
    }

    enum ReadFailure: Error {
        case system(Failure)
        case tooLarge(Int)
    }

    /// The whole file, refusing without reading it when it is larger than `maxBytes`.
    static func read(_ path: String, maxBytes: Int) -> Result<[UInt8], ReadFailure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.system(Failure(errno: errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.system(Failure(errno: errno))) }
        let size = Int(info.st_size)
        guard size <= maxBytes else { return .failure(.tooLarge(size)) }
        // Read to EOF rather than trusting st_size: the file may grow between fstat and read.
        var bytes = [UInt8](repeating: 0, count: max(size, 4096))
        var filled = 0
        while true {
            if filled == bytes.count {
                guard bytes.count <= maxBytes else { return .failure(.tooLarge(bytes.count)) }
                bytes.append(contentsOf: repeatElement(0, count: bytes.count))
            }
            let got = bytes.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + filled, raw.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(.system(Failure(errno: errno)))
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        guard filled <= maxBytes else { return .failure(.tooLarge(filled)) }
        return .success(bytes)
    }
}
