import Hummingbird
public import Logging
public import ServiceLifecycle

/// The local HTTP API as a service: `/healthz`, `/readyz`, `/status`, `/metrics`.
public enum StatusServer {
    /// - Parameter onListening: called with the address actually bound (port 0 resolved).
    public static func service(provider: any StatusProvider, address: ListenAddress, logger: Logger,
                               onListening: @escaping @Sendable (String) -> Void) -> any Service {
        let router = Router()
        router.get("healthz") { _, _ in response(await provider.health()) }
        router.get("readyz") { request, _ in
            response(await provider.readiness(verbose: request.uri.queryParameters["verbose"] != nil))
        }
        router.get("status") { _, _ in response(await provider.status()) }
        router.get("metrics") { _, _ in response(await provider.metrics()) }

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

    private static func response(_ status: StatusResponse) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = status.contentType
        return Response(status: .init(code: status.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: status.body)))
    }
}
