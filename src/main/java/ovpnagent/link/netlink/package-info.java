/**
 * The low layer of rtnetlink (rtnetlink(7), netlink(7), include/uapi/linux/rtnetlink.h): builders
 * for {@code nlmsghdr} + {@code ifinfomsg}/{@code ifaddrmsg}/{@code ndmsg} + nested {@code rtattr}
 * requests, parsers for link, address, error and done messages, a blocking {@link
 * ovpnagent.link.netlink.NetlinkSocket} over {@code ovpnagent.sys.Native}, and the TUNSETIFF/
 * TUNSETPERSIST ioctl that creates persistent TAPs. Builders and parsers do no I/O and are tested
 * byte for byte; it imports only {@code ovpnagent.sys} and {@code ovpnagent.util}.
 */
package ovpnagent.link.netlink;
