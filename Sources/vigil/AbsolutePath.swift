import Foundation

/// Directory arguments made absolute against the current directory, `.` and `..` resolved
/// by their spelling (symlinks are kept: a ConfigMap mount may be one). The daemon reports
/// sources under its own spelling of a root, and `vigil plan` compares against it from another
/// directory, so both use this form.
enum AbsolutePath {
    static func of(_ path: String) -> String {
        URL(fileURLWithPath: path).standardized.path
    }
}
