/// What became of a piece of review feedback agentsched acted on (`markFeedback`,
/// `createFollowUp`): each key is acted on once, whatever the outcome.
public enum FeedbackOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// It became (part of) a follow-up session.
    case followUp = "follow-up"
    /// It was passed over on purpose (its author may not steer agents, say), maybe with a reply.
    case ignored
}
