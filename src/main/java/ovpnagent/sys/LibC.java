package ovpnagent.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The libc calls the agent needs that neither the JDK nor jnr-posix offer (sockets, setsockopt,
 * ioctl). Use through {@link Native}, which turns -1/errno into IOExceptions naming the call.
 */
public interface LibC {
  int socket(int domain, int type, int protocol);

  int bind(int fd, @In byte[] addr, int len);

  int connect(int fd, @In byte[] addr, int len);

  long sendto(int fd, @In byte[] buf, long len, int flags, @In byte[] addr, int alen);

  long send(int fd, @In byte[] buf, long len, int flags);

  long recv(int fd, @Out byte[] buf, long len, int flags);

  long recvfrom(
      int fd, @Out byte[] buf, long len, int flags, @Out byte[] addr, @In @Out int[] alen);

  long recvmsg(int fd, jnr.ffi.Pointer msg, int flags);

  /** recvmmsg(2); {@code timeout} may be null (then SO_RCVTIMEO bounds the wait for the first). */
  int recvmmsg(int fd, jnr.ffi.Pointer msgvec, int vlen, int flags, jnr.ffi.Pointer timeout);

  int setsockopt(int fd, int level, int name, @In byte[] value, int len);

  int getsockopt(int fd, int level, int name, @Out byte[] value, @In @Out int[] len);

  int ioctl(int fd, long request, @In @Out byte[] arg);

  int ioctl(int fd, long request, long arg);

  int open(String path, int flags);

  int close(int fd);

  int if_nametoindex(String name);

  String strerror(int errno);

  /** Loads libc once. */
  static LibC load() {
    return LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true).load("c");
  }
}
