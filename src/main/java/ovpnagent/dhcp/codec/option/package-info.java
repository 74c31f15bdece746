/**
 * Typed views of the option bodies whose structure the server reads or builds beyond plain
 * addresses, numbers and text: relay agent information sub-options (RFC 3046, RFC 3527, RFC 5107)
 * and classless static routes (RFC 3442). Pure functions over bytes, no I/O; a malformed body gives
 * null, never an exception. Imports only {@code ovpnagent.dhcp.codec} and {@code ovpnagent.util}.
 */
package ovpnagent.dhcp.codec.option;
