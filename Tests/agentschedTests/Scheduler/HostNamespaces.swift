import AgentSchedulerTesting
import Foundation

/// Network namespaces standing in for separate hosts: each has its own address on a veth pair to
/// this machine's namespace, and a route to the test's own /24 only, so its traffic can reach the
/// addresses the test made and nothing else (no default route).
///
/// Needs root and `ip` (iproute2); ``make(count:)`` returns `nil`, with the reason, where
/// namespaces cannot be made, and the caller falls back to processes on 127.0.0.1.
final class HostNamespaces: Sendable {
    struct Host: Sendable {
        /// The namespace's name, for `ip netns exec`.
        var namespace: String
        /// The host's own address, inside its namespace.
        var address: String
        /// This machine's end of the host's link: where the host reaches servers the test runs.
        var gateway: String
    }

    let hosts: [Host]
    /// The test's addresses, `10.231.N.0/24`: what a server trusts.
    let network: String
    private let links: [String]

    private init(hosts: [Host], network: String, links: [String]) {
        self.hosts = hosts
        self.network = network
        self.links = links
    }

    /// Makes `count` hosts on a /24 no other test run uses, or says why it cannot.
    static func make(count: Int) async -> Result<HostNamespaces, Failure> {
        guard getuid() == 0 else { return .failure(Failure("not root")) }
        guard FileManager.default.isExecutableFile(atPath: ip) else { return .failure(Failure("no \(ip)")) }
        let tag = "\(getpid() % 10_000)"
        let subnet = Int.random(in: 1...250)
        var hosts: [Host] = []
        var links: [String] = []
        do {
            for index in 0..<count {
                let namespace = "agsched-\(tag)-\(index)"
                let outside = "ags\(tag)o\(index)"
                let inside = "ags\(tag)i\(index)"
                let gateway = "10.231.\(subnet).\(4 * index + 1)"
                let address = "10.231.\(subnet).\(4 * index + 2)"
                try await run(["netns", "add", namespace])
                hosts.append(Host(namespace: namespace, address: address, gateway: gateway))
                try await run(["link", "add", outside, "type", "veth", "peer", "name", inside])
                links.append(outside)
                try await run(["link", "set", inside, "netns", namespace])
                try await run(["addr", "add", "\(gateway)/30", "dev", outside])
                try await run(["link", "set", outside, "up"])
                try await run(["netns", "exec", namespace, ip, "addr", "add", "\(address)/30", "dev", inside])
                try await run(["netns", "exec", namespace, ip, "link", "set", inside, "up"])
                try await run(["netns", "exec", namespace, ip, "link", "set", "lo", "up"])
                try await run([
                    "netns", "exec", namespace, ip, "route", "add", "10.231.\(subnet).0/24", "via", gateway,
                ])
            }
        } catch {
            await HostNamespaces(hosts: hosts, network: "", links: links).remove()
            return .failure(error as? Failure ?? Failure("\(error)"))
        }
        return .success(HostNamespaces(hosts: hosts, network: "10.231.\(subnet).0/24", links: links))
    }

    /// Deletes the links and the namespaces (their processes must have ended).
    func remove() async {
        for link in links { try? await Self.run(["link", "del", link]) }
        for host in hosts { try? await Self.run(["netns", "del", host.namespace]) }
    }

    /// Kills every process in `host`'s namespace with SIGKILL: the host dies at once.
    func killEverything(in host: Host) async throws {
        let pids = try await Self.run(["netns", "pids", host.namespace])
        for pid in pids.split(whereSeparator: \.isNewline).compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
    }

    /// `ip netns exec NAMESPACE` before `command`: how a process starts on `host`.
    func prefix(on host: Host) -> [String] { ["netns", "exec", host.namespace] }

    static let ip = "/usr/sbin/ip"

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @discardableResult
    private static func run(_ arguments: [String]) async throws -> String {
        let outcome = try await TestProcess.run(
            [ip] + arguments, in: FileManager.default.temporaryDirectory,
            environment: ProcessInfo.processInfo.environment)
        guard outcome.status == 0 else {
            throw Failure("ip \(arguments.joined(separator: " ")): \(outcome.errors)")
        }
        return outcome.output
    }
}
