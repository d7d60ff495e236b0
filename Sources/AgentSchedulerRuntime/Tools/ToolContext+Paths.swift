import Foundation

extension ToolContext {
    /// The confinement to the worktree, creating the worktree if this is the first use.
    func confinement() async throws(ToolFailure) -> Confinement {
        let root: URL
        do {
            root = try await worktree.root()
        } catch {
            throw ToolFailure("the worktree could not be prepared: \(error)")
        }
        do {
            return try Confinement(root: root)
        } catch {
            throw ToolFailure(error.message)
        }
    }

    /// `path` resolved inside the worktree, or a refusal naming what was wrong with it.
    func resolve(_ path: String) async throws(ToolFailure) -> ConfinedPath {
        switch try await confinement().resolve(path) {
        case .success(let confined): return confined
        case .failure(let error): throw ToolFailure(refusal: .path(error))
        }
    }
}
