/**
 * The agent's own configuration: one JSON file parsed once at start into immutable records, every
 * key validated, errors naming the file and the key. Imports only {@code ovpnagent.util}.
 */
package ovpnagent.config;
