/**
 * Log setup and log-line formatting: {@link ovpnagent.logging.LogSetup} configures slf4j-simple
 * from the {@code log} config section before the first logger exists, and {@link
 * ovpnagent.logging.Events} writes {@code event=name key=value} lines whose values are quoted and
 * escaped (no log injection through client-supplied strings) and whose secrets are masked. Imports
 * only {@code config}.
 */
package ovpnagent.logging;
