/**
 * Persistence: leases, MAC → router mappings, routed-client addresses and carved site subnets,
 * behind interfaces with an H2 (embedded file, durable on commit) and an in-memory implementation,
 * each proven by one contract suite. Imports only {@code ovpnagent.util}.
 */
package ovpnagent.store;
