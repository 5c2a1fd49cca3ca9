import VigilConfig

extension ValidationReport {
    /// The human report: one block per file (OK with its instance IDs, or its errors as
    /// `path:line:column: message`), then skipped files, then a summary line.
    func text() -> String {
        var out = ""
        for problem in problems {
            out += "\(problem)\n"
        }
        for file in files {
            if file.isValid {
                let count = file.specs.count
                out += "\(file.path): OK (\(file.checkName), \(count) instance\(count == 1 ? "" : "s"))\n"
                for spec in file.specs {
                    out += "  \(spec.id)\n"
                }
            } else {
                for error in file.errors { out += "\(error)\n" }
            }
            for warning in file.warnings {
                out += warningLine(warning)
            }
        }
        for (id, sources) in crossFileDuplicates.sorted(by: { $0.key < $1.key }) {
            let places = sources.map(\.description).joined(separator: ", ")
            out += "warning: \(id) is defined identically in \(places); it runs once\n"
        }
        for skip in skipped {
            out += "skipped \(skip)\n"
        }
        let invalid = files.filter { !$0.isValid }.count
        if files.isEmpty && problems.isEmpty {
            out += "no config files found (looked for <check>.d/*.yaml and <check>.yaml)\n"
        } else {
            let instances = instanceCount
            out += "\(files.count) file\(files.count == 1 ? "" : "s"): \(files.count - invalid) valid, \(invalid) invalid; "
            out += "\(instances) instance\(instances == 1 ? "" : "s")"
            if !problems.isEmpty { out += "; \(problems.count) path\(problems.count == 1 ? "" : "s") not usable" }
            out += "\n"
        }
        return out
    }

    func warningLine(_ warning: ConfigIssue) -> String {
        guard let mark = warning.mark else { return "\(warning.path): warning: \(warning.message)\n" }
        return "\(warning.path):\(mark.line):\(mark.column): warning: \(warning.message)\n"
    }
}
