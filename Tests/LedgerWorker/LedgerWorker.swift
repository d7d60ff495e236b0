import Foundation

/// Placeholder entry point; the ledger tests' helper replaces it.
@main
struct LedgerWorker {
    static func main() {}
}
