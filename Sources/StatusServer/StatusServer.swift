import Hummingbird
public import Logging
public import ServiceLifecycle

/// The local HTTP API as a service: `/healthz`, `/readyz`, `/status`, `/metrics`.
public enum StatusServer {
    /// - Parameter onListening: called with the address actually bound (port 0 resolved).
    public static func service(provider: any StatusProvider, address: ListenAddress, logger: Logger,
                               onListening: @escaping @Sendable (String) -> Void) -> any Service {
        let router = Router()
        let routes: [(path: String, answer: @Sendable (Request) async -> StatusResponse)] = [
            ("healthz", { _ in await provider.health() }),
            ("readyz", { request in await provider.readiness(verbose: request.uri.queryParameters["verbose"] != nil) }),
            ("status", { _ in await provider.status() }),
            ("metrics", { _ in await provider.metrics() }),
        ]
        for route in routes {
            router.get(RouterPath(route.path)) { request, _ in response(await route.answer(request)) }
            // `curl -I` and some load balancers' probes ask with HEAD: the same status and
            // headers, no body.
            router.head(RouterPath(route.path)) { request, _ in response(await route.answer(request), withBody: false) }
        }

        let bind: BindAddress
        switch address {
        case .tcp(let host, let port): bind = .hostname(host, port: port)
        case .unix(let path): bind = .unixDomainSocket(path: path)
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: bind, serverName: "vigil"),
            onServerRunning: { channel in
                switch address {
                case .unix: onListening(address.description)
                case .tcp(let host, _): onListening(ListenAddress.tcp(host: host, port: channel.localAddress?.port ?? 0).description)
                }
            },
            logger: logger)
    }

    private static func response(_ status: StatusResponse, withBody: Bool = true) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = status.contentType
        guard withBody else {
            headers[.contentLength] = "\(status.body.count)"
            return Response(status: .init(code: status.status), headers: headers)
        }
        return Response(status: .init(code: status.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: status.body)))
    }
}
