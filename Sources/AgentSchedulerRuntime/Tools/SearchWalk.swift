/// The files `search` visits under a path, depth first in name order: regular files matching the
/// glob, never through a symlink or into `.git`, none over the size limit, none with more than
/// one hard link (another name for it may lie outside the worktree).
struct SearchWalk {
    /// A file to search: its real path and its path from the worktree root.
    struct File {
        var absolute: String
        var relative: String
    }

    let glob: FileGlob?
    /// Where the walk starts, as the model named it: `the worktree` or `under src`.
    let scope: String
    let maxFileBytes: Int
    /// Folders still to visit, and files of the current folder, in reverse order (popped last first).
    private var pending: [File]
    private(set) var visited = 0
    var skippedLarge = 0
    var skippedHardLinks = 0
    var skippedBinary = 0
    var skippedUnreadable = 0

    init(root: ConfinedPath, glob: FileGlob?, maxFileBytes: Int) {
        self.glob = glob
        scope = root.relative == "." ? "in the worktree" : "under \(root.relative)"
        self.maxFileBytes = maxFileBytes
        pending = [File(absolute: root.absolute, relative: root.relative)]
    }

    /// The next file to search, or `nil` when the walk is over.
    mutating func next() -> File? {
        while let entry = pending.popLast() {
            guard case .success(let status) = LocalFile.status(entry.absolute) else { continue }
            switch status.kind {
            case .directory:
                let names = (try? LocalFile.names(in: entry.absolute)) ?? []
                for name in names.sorted().reversed() where !Confinement.isGitFolder(Substring(name)) {
                    pending.append(
                        File(
                            absolute: entry.absolute + "/" + name,
                            relative: entry.relative == "." ? name : entry.relative + "/" + name))
                }
            case .regular:
                guard glob?.matches(entry.relative) ?? true else { continue }
                guard status.size <= maxFileBytes else {
                    skippedLarge += 1
                    continue
                }
                guard status.links <= 1 else {
                    skippedHardLinks += 1
                    continue
                }
                visited += 1
                return entry
            case .symlink, .other:
                continue
            }
        }
        return nil
    }

    /// `12 files searched under src` and what was skipped, for a message that found nothing.
    var summary: String {
        var text = "\(ToolOutput.count(visited - skippedBinary - skippedUnreadable, "file")) searched \(scope)"
        if let skipped = skippedNote { text += " (skipped: \(skipped))" }
        return text
    }

    /// What was skipped (`2 binary, 1 with several hard links`), or `nil` for nothing.
    var skippedNote: String? {
        var skipped: [String] = []
        if skippedBinary > 0 { skipped.append("\(skippedBinary) binary") }
        if skippedUnreadable > 0 { skipped.append("\(skippedUnreadable) unreadable") }
        if skippedLarge > 0 { skipped.append("\(skippedLarge) over \(ToolOutput.size(maxFileBytes))") }
        if skippedHardLinks > 0 {
            skipped.append("\(skippedHardLinks) with more than one hard link, which the file tools refuse")
        }
        return skipped.isEmpty ? nil : skipped.joined(separator: ", ")
    }
}
