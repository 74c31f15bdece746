/**
 * Pure parser of OpenVPN server config files into a {@link ovpnagent.openvpn.conf.ServerConf}
 * record, following OpenVPN's own reader ({@code src/openvpn/options_parse.c}: {@code parse_line},
 * {@code read_config_file}, {@code check_inline_file}; summarized in {@code openvpn.md} §6 and §7):
 * whitespace tokens, double and single quotes with OpenVPN's three escapes, {@code #}/{@code ;}
 * comments, {@code --} prefixes, inline {@code <tag>} blocks (skipped, never parsed), nested {@code
 * config} includes with a depth limit, and {@code cd}. Files are read only through the {@link
 * ovpnagent.openvpn.conf.ConfFiles} seam; the package opens no socket, logs nothing, reads no
 * clock, and imports only {@code ovpnagent.util}. Every problem is one {@link
 * ovpnagent.openvpn.conf.ConfParseException} naming the file and line.
 */
package ovpnagent.openvpn.conf;
