import Foundation

/// A deterministic conf.d of realistic check configs: `<check>.d/<n>.yaml`, each file with an
/// init_config and three instances with nested maps, tag lists and custom queries (~1 KB).
struct CorpusGenerator {
    static let checks = ["redisdb", "postgres", "mysql", "http_check", "tcp_check", "nginx", "apache", "mongo",
                         "elastic", "kafka_consumer", "rabbitmq", "haproxy", "memcached", "process", "disk"]
    static let teams = ["core", "payments", "search", "infra", "data"]
    static let regions = ["eu-west-1", "us-east-1", "ap-south-1"]

    /// Writes `files` files under `root` and returns their total size in bytes.
    /// - Parameter names: check names to rotate through (default: realistic integration names).
    static func write(files: Int, to root: String, names: [String] = checks, interval: Int? = nil) throws -> Int {
        var total = 0
        for n in 0..<files {
            let check = names[n % names.count]
            let directory = "\(root)/\(check).d"
            if n < names.count {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            var text = file(n)
            if let interval {
                // Every instance's interval, for benchmarks that run the corpus.
                text = text.replacing(#/min_collection_interval: \d+/#, with: "min_collection_interval: \(interval)")
            }
            total += text.utf8.count
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(directory)/conf\(n).yaml"))
        }
        return total
    }

    static func file(_ n: Int) -> String {
        var text = """
            ## Generated check config \(n)
            init_config:
              service: svc-\(n % 97)
              timeout: 10

            instances:

            """
        for i in 0..<3 {
            let port = 1024 + (n * 7 + i * 13) % 50000
            text += """
                  - name: inst-\(n)-\(i)
                    host: 10.\(n % 250).\((n / 250) % 250).\(i + 1)
                    port: \(port)
                    password: "s-\(String(n &* 2_654_435_761 % 1_000_003, radix: 16))"
                    min_collection_interval: \(15 * (1 + i))
                    ssl: \(i % 2 == 0 ? "true" : "no")
                    tags: [env:prod, "team:\(teams[(n + i) % teams.count])", region:\(regions[n % regions.count])]
                    options:
                      read_timeout: 2.5  # seconds
                      headers: {User-Agent: vigil, X-Request: "\(n)-\(i)"}

                """
        }
        return text
    }
}
