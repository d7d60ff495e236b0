import Foundation

/// Where a workspace's ledger lives: a SQLite file in its state folder (the zero-setup default),
/// or a PostgreSQL server shared by workers on several machines (DESIGN §12).
public enum LedgerLocation: Sendable, Hashable {
    /// One SQLite file.
    case file(path: String)
    /// A database server whose URL the environment variable `variable` holds (`ledger.url-env`
    /// or `--ledger-url-env`). The URL holds the password, so only the variable's name is kept.
    case server(variable: String)
}

extension LedgerLocation: CustomStringConvertible {
    /// For messages: the file's path, or the variable's name, never the URL.
    public var description: String {
        switch self {
        case .file(let path): path
        case .server(let variable): "the database in $\(variable)"
        }
    }
}
