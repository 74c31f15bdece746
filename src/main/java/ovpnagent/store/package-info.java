/**
 * Persistence: leases, MAC → router mappings, routed-client addresses and carved site subnets,
 * behind interfaces with an H2 implementation ({@link ovpnagent.store.H2Store}: embedded file with
 * {@code WRITE_DELAY=0}, a versioned {@link ovpnagent.store.Schema}, one group-commit writer thread
 * so that a write's future completes only after its commit, RFC 2131 §3.1 step 4) and in-memory
 * implementations for tests, each proven by one contract suite (style.md practice 10). Imports only
 * {@code ovpnagent.util}.
 */
package ovpnagent.store;
