/**
 * The one seam to native code: a jnr-ffi binding of the few libc calls the JDK lacks (socket
 * options such as SO_BINDTODEVICE, netlink sockets, ioctl for TUNSETIFF), with errors turned into
 * IOExceptions that name the call. Nothing else in the agent loads native code.
 */
package ovpnagent.sys;
