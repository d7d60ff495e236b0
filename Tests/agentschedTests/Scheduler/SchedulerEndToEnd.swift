import Testing

/// The end-to-end tests that run whole batches: each starts several `agentsched` processes, so they
/// run one at a time beside the rest of the suite, which keeps a two-core machine responsive for
/// the tests that time out on a silent model.
@Suite(.serialized)
enum SchedulerEndToEnd {}
