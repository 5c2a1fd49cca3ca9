import Foundation
import TestSupport
import Testing

/// The Kubernetes manifests in `manifests/kubernetes`: valid against the Kubernetes API schemas
/// (offline, with `kubernetes-validate` from the venv, which ships them), every workload's
/// containers hardened and probed as the image expects, and the ConfigMaps in step with the
/// example checks in `manifests/conf.d` and `manifests/checks.d`.
@Suite struct KubernetesManifestTests {
    static let directory = Repository.path("manifests/kubernetes")
    static let files = ["configmap.yaml", "sidecar-deployment.yaml", "native-sidecar-deployment.yaml", "daemonset.yaml"]
    static let workloads = ["sidecar-deployment.yaml", "native-sidecar-deployment.yaml", "daemonset.yaml"]

    /// `.venv/bin/kubernetes-validate`, beside the venv's python, when installed.
    static let validator: String? = Repository.venvPython.flatMap { python in
        let path = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("kubernetes-validate").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
    static let validatorMissing = "needs kubernetes-validate in the venv (python/test-requirements.txt): run `make setup`"

    static func validate(_ file: String, version: String? = nil) throws -> ProcessResult {
        var arguments = ["--strict", "--no-warn"]
        if let version { arguments += ["--kubernetes-version", version] }
        return try runProcess(validator!, arguments + ["\(directory)/\(file)"])
    }

    @Test(.enabled(if: validator != nil, Comment(rawValue: validatorMissing)), arguments: files)
    func validatesStrictlyAgainstTheKubernetesSchemas(file: String) throws {
        let result = try Self.validate(file)
        #expect(result.status == 0, "\(file):\n\(result.stdout)\(result.stderr)")
    }

    /// Native sidecars (`restartPolicy: Always` on an init container) need Kubernetes 1.29.
    @Test(.enabled(if: validator != nil, Comment(rawValue: validatorMissing)))
    func nativeSidecarValidatesAgainstKubernetes129() throws {
        let result = try Self.validate("native-sidecar-deployment.yaml", version: "1.29.0")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test(.enabled(if: Repository.venvPython != nil, Comment(rawValue: Repository.venvMissing)), arguments: workloads)
    func everyContainerIsHardenedAndVigilIsProbed(file: String) throws {
        let documents = try Self.documents(file)
        let workloads = documents.filter { ["Deployment", "DaemonSet"].contains($0["kind"] as? String) }
        #expect(workloads.count == 1, "\(file): one Deployment or DaemonSet")
        for workload in workloads {
            let pod = try #require(Self.dig(workload, "spec", "template", "spec") as? [String: Any])
            let podSecurity = pod["securityContext"] as? [String: Any] ?? [:]
            #expect(podSecurity["runAsNonRoot"] as? Bool == true, "\(file): pod runAsNonRoot")
            let containers = (pod["containers"] as? [[String: Any]] ?? []) + (pod["initContainers"] as? [[String: Any]] ?? [])
            for container in containers {
                Self.expectHardened(container, in: file)
            }
            let vigil = try #require(containers.first { ($0["image"] as? String)?.contains("vigil") == true },
                                     "\(file): no Vigil container")
            Self.expectProbed(vigil, in: file)
            Self.expectVolumes(vigil, pod: pod, in: file)
            if file == "native-sidecar-deployment.yaml" {
                let inits = pod["initContainers"] as? [[String: Any]] ?? []
                #expect(inits.contains { $0["name"] as? String == vigil["name"] as? String },
                        "\(file): Vigil is an init container")
                #expect(vigil["restartPolicy"] as? String == "Always", "\(file): a native sidecar has restartPolicy Always")
            }
        }
    }

    /// The ConfigMap's checks are the examples of `manifests/conf.d` flattened into keys (no "/"
    /// in a key): `vigil validate` finds the same instance IDs in both, and the custom check is
    /// the same file.
    @Test(.enabled(if: Repository.venvPython != nil, Comment(rawValue: Repository.venvMissing)))
    func configMapsHoldTheExampleChecks() throws {
        let maps = try Self.documents("configmap.yaml").filter { $0["kind"] as? String == "ConfigMap" }
        let conf = try #require(maps.first { Self.dig($0, "metadata", "name") as? String == "vigil-conf" }?["data"] as? [String: String])
        let checks = try #require(maps.first { Self.dig($0, "metadata", "name") as? String == "vigil-checks" }?["data"] as? [String: String])

        let mounted = try TemporaryDirectory("vigil-configmap")
        for (key, value) in conf {
            #expect(!key.contains("/"), "a ConfigMap key cannot contain '/': \(key)")
            try mounted.write(key, value)
        }
        let fromMap = try runProcess(Repository.vigilBinary, ["validate", mounted.path])
        #expect(fromMap.status == 0, "\(fromMap.stdout)\(fromMap.stderr)")
        let fromExamples = try runProcess(Repository.vigilBinary, ["validate", Repository.path("manifests/conf.d")])
        #expect(fromExamples.status == 0, "\(fromExamples.stdout)\(fromExamples.stderr)")
        #expect(Self.instanceIDs(fromMap.stdout) == Self.instanceIDs(fromExamples.stdout))
        #expect(!Self.instanceIDs(fromMap.stdout).isEmpty)

        let example = try String(contentsOfFile: Repository.path("manifests/checks.d/file_age.py"), encoding: .utf8)
        #expect(checks["file_age.py"] == example, "vigil-checks/file_age.py differs from manifests/checks.d/file_age.py")
    }

    // MARK: - Expectations

    static func expectHardened(_ container: [String: Any], in file: String) {
        let name = "\(file): container \(container["name"] as? String ?? "?")"
        let security = container["securityContext"] as? [String: Any] ?? [:]
        #expect(security["runAsNonRoot"] as? Bool == true, "\(name): runAsNonRoot")
        #expect(security["runAsUser"] as? Int == 10001, "\(name): runAsUser 10001")
        #expect(security["readOnlyRootFilesystem"] as? Bool == true, "\(name): readOnlyRootFilesystem")
        #expect(security["allowPrivilegeEscalation"] as? Bool == false, "\(name): allowPrivilegeEscalation false")
        #expect(dig(security, "capabilities", "drop") as? [String] == ["ALL"], "\(name): capabilities drop ALL")
        #expect(dig(security, "seccompProfile", "type") as? String == "RuntimeDefault", "\(name): seccompProfile RuntimeDefault")
        for kind in ["requests", "limits"] {
            let resources = dig(container, "resources", kind) as? [String: Any] ?? [:]
            #expect(resources["cpu"] != nil && resources["memory"] != nil, "\(name): resources.\(kind) cpu and memory")
        }
    }

    static func expectProbed(_ vigil: [String: Any], in file: String) {
        #expect(dig(vigil, "livenessProbe", "httpGet", "path") as? String == "/healthz", "\(file): liveness on /healthz")
        #expect(dig(vigil, "readinessProbe", "httpGet", "path") as? String == "/readyz", "\(file): readiness on /readyz")
        #expect(dig(vigil, "startupProbe", "httpGet", "path") != nil, "\(file): a startupProbe")
        let ports = vigil["ports"] as? [[String: Any]] ?? []
        #expect(ports.contains { $0["containerPort"] as? Int == 9717 }, "\(file): containerPort 9717")
    }

    /// The ConfigMap is mounted as a directory (a subPath mount never sees updates), and the
    /// writable paths of a read-only root are emptyDirs.
    static func expectVolumes(_ vigil: [String: Any], pod: [String: Any], in file: String) {
        let mounts = vigil["volumeMounts"] as? [[String: Any]] ?? []
        let volumes = pod["volumes"] as? [[String: Any]] ?? []
        func volume(at path: String) -> [String: Any]? {
            guard let mount = mounts.first(where: { $0["mountPath"] as? String == path }) else { return nil }
            return volumes.first { $0["name"] as? String == mount["name"] as? String }
        }
        #expect(mounts.allSatisfy { $0["subPath"] == nil && $0["subPathExpr"] == nil }, "\(file): no subPath mounts")
        #expect(volume(at: "/etc/vigil/conf.d")?["configMap"] != nil, "\(file): /etc/vigil/conf.d is a ConfigMap volume")
        #expect(volume(at: "/var/lib/vigil")?["emptyDir"] != nil, "\(file): /var/lib/vigil is an emptyDir")
        #expect(volume(at: "/tmp")?["emptyDir"] != nil, "\(file): /tmp is an emptyDir")
    }

    // MARK: - Helpers

    /// The YAML documents of a manifest, read by the venv's PyYAML and handed over as JSON.
    static func documents(_ file: String) throws -> [[String: Any]] {
        let script = "import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d]))"
        let result = try runProcess(Repository.venvPython!, ["-c", script, "\(directory)/\(file)"])
        try #require(result.status == 0, "\(file): \(result.stderr)")
        return try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    static func dig(_ value: Any?, _ keys: String...) -> Any? {
        keys.reduce(value) { ($0 as? [String: Any])?[$1] }
    }

    /// The instance IDs `vigil validate` prints (indented lines under each file).
    static func instanceIDs(_ output: String) -> Set<String> {
        Set(output.split(separator: "\n").filter { $0.hasPrefix("  ") }.map { $0.trimmingCharacters(in: .whitespaces) })
    }
}
