import VigilConfig
import VigilYAML

extension ValidationReport {
    /// `vigil validate --print`: one JSON object per line for each instance of each valid file,
    /// in file order:
    ///
    ///     {"check":…,"id":…,"source":"path[index]","path":…,"index":…,"init_config":…,"instance":…}
    ///
    /// `init_config` and `instance` are ``TypedJSON`` with keys in file order: the values after
    /// `%%env_…%%` substitution, exactly what a loader receives.
    func jsonLines() -> String {
        var out = ""
        for file in files where file.isValid {
            for spec in file.specs {
                out += #"{"check":"#
                TypedJSON.writeString(spec.checkName, into: &out)
                out += #","id":"#
                TypedJSON.writeString(spec.id.rawValue, into: &out)
                out += #","source":"#
                TypedJSON.writeString(spec.source.description, into: &out)
                out += #","path":"#
                TypedJSON.writeString(spec.source.path, into: &out)
                out += #","index":\#(spec.source.index),"init_config":"#
                out += TypedJSON.encode(spec.initConfig)
                out += #","instance":"#
                out += TypedJSON.encode(spec.instance)
                out += "}\n"
            }
        }
        return out
    }

    /// Everything but the instances, for stderr under `--print`: unusable paths, each error as
    /// `path:line:column: message`, warnings and skipped files, as the text report shows them.
    func diagnostics() -> String {
        var out = ""
        for problem in problems { out += "\(problem)\n" }
        for file in files {
            for error in file.errors { out += "\(error)\n" }
            for warning in file.warnings { out += warningLine(warning) }
        }
        for (id, sources) in crossFileDuplicates.sorted(by: { $0.key < $1.key }) {
            let places = sources.map(\.description).joined(separator: ", ")
            out += "warning: \(id) is defined identically in \(places); it runs once\n"
        }
        for skip in skipped { out += "skipped \(skip)\n" }
        if files.isEmpty && problems.isEmpty {
            out += "no config files found (looked for <check>.d/*.yaml and <check>.yaml)\n"
        }
        return out
    }
}
