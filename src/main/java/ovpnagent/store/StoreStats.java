package ovpnagent.store;

/**
 * Counters of a group-commit writer, for metrics and the benchmark.
 *
 * @param commits transactions committed
 * @param changes changes made durable by those commits (changes / commits = average group size)
 * @param failedCommits transactions that failed and failed all their changes
 * @param rejected changes refused because the queue was full
 * @param coalesced changes not executed because a later change to the same row in the same batch
 *     replaced them (they completed with it)
 * @param largestBatch the most changes committed at once
 * @param queueDepth changes waiting now
 */
public record StoreStats(
    long commits,
    long changes,
    long failedCommits,
    long rejected,
    long coalesced,
    long largestBatch,
    int queueDepth) {}
