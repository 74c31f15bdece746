package ovpnagent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import ovpnagent.sys.Native;

/**
 * A throwaway network namespace (created with {@code ip netns add}) and a thread inside it: netns
 * membership is per thread, so sockets and TAPs opened on {@link #call} belong to the namespace.
 * {@link #close()} deletes the namespace, which removes its devices.
 */
public final class Netns implements AutoCloseable {
  private static final int CLONE_NEWNET = 0x40000000;
  private final String name;
  private final ExecutorService thread;

  /** setns(2), absent from the shared LibC. */
  public interface NsLibC {
    int setns(int fd, int nstype);
  }

  private static final NsLibC NS =
      LibraryLoader.create(NsLibC.class).option(LibraryOption.SaveError, true).load("c");

  private Netns(String name) {
    this.name = name;
    this.thread = Executors.newSingleThreadExecutor(threadFactory());
  }

  /**
   * A single thread inside the existing namespace {@code name} (created by the caller); a task
   * fails if the thread cannot enter it.
   */
  public static ExecutorService threadIn(String name) {
    return Executors.newSingleThreadExecutor(factoryFor(name));
  }

  /** Creates (replacing a leftover of the same name) the namespace with loopback up. */
  public static Netns create(String name) throws Exception {
    fresh(name);
    return new Netns(name);
  }

  /**
   * The socket tests' two links, in fresh namespaces {@code server} and {@code peer}: in {@code
   * server}, bridge {@code P+"br0"} ({@code bridgeCidr}) with veth port {@code P+"a0"}, and a plain
   * veth {@code P+"b0"} ({@code otherCidr}); their peers {@code P+"a1"} ({@code peerOnBridge}) and
   * {@code P+"b1"} ({@code peerOnOther}) in {@code peer}; everything up. P is {@code prefix}.
   */
  public static void bridgeAndOtherLink(
      String server,
      String peer,
      String prefix,
      String bridgeCidr,
      String otherCidr,
      String peerOnBridge,
      String peerOnOther)
      throws Exception {
    fresh(server);
    fresh(peer);
    String br = prefix + "br0";
    sh("ip", "-n", server, "link", "add", br, "type", "bridge");
    sh("ip", "-n", server, "addr", "add", bridgeCidr, "dev", br);
    for (String l : List.of("a", "b")) {
      sh(
          "ip",
          "-n",
          server,
          "link",
          "add",
          prefix + l + "0",
          "type",
          "veth",
          "peer",
          "name",
          prefix + l + "1",
          "netns",
          peer);
    }
    sh("ip", "-n", server, "link", "set", prefix + "a0", "master", br);
    sh("ip", "-n", server, "addr", "add", otherCidr, "dev", prefix + "b0");
    for (String dev : List.of(br, prefix + "a0", prefix + "b0")) {
      sh("ip", "-n", server, "link", "set", dev, "up");
    }
    sh("ip", "-n", peer, "addr", "add", peerOnBridge, "dev", prefix + "a1");
    sh("ip", "-n", peer, "addr", "add", peerOnOther, "dev", prefix + "b1");
    sh("ip", "-n", peer, "link", "set", prefix + "a1", "up");
    sh("ip", "-n", peer, "link", "set", prefix + "b1", "up");
  }

  /**
   * Adds namespace {@code name} with loopback up, deleting a leftover of the same name first; for
   * tests that delete it themselves ({@code ip netns del}) rather than through {@link #close}.
   */
  public static void fresh(String name) throws Exception {
    run(List.of("ip", "netns", "del", name), true);
    run(List.of("ip", "netns", "add", name), false);
    run(List.of("ip", "-n", name, "link", "set", "lo", "up"), false);
  }

  /** Threads that enter this namespace before running their task. */
  public ThreadFactory threadFactory() {
    return factoryFor(name);
  }

  private static ThreadFactory factoryFor(String name) {
    return r ->
        new Thread(
            () -> {
              try {
                enter(name);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              r.run();
            },
            "netns-" + name);
  }

  private static void enter(String name) throws IOException {
    int fd =
        (int)
            Native.check(
                Native.libc().open("/var/run/netns/" + name, Native.O_CLOEXEC),
                "open(netns " + name + ")");
    try {
      Native.check(NS.setns(fd, CLONE_NEWNET), "setns(" + name + ")");
    } finally {
      Native.close(fd);
    }
  }

  /** Runs on the namespace thread, with a 30 s deadline. */
  public <T> T call(Callable<T> task) throws Exception {
    try {
      return thread.submit(task).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception) {
        throw (Exception) e.getCause();
      }
      throw e;
    }
  }

  /** Runs a command; fails with its output on a non-zero exit or after 30 s; returns the output. */
  public static String sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }

  /**
   * Runs busybox udhcpc once in namespace {@code ns} on {@code dev} (up to 5 DISCOVERs, 1 s apart,
   * no script) and returns its log; fails (with the log) if it got no lease.
   */
  public static String udhcpcOnce(String ns, String dev) throws Exception {
    return sh(
        "ip",
        "netns",
        "exec",
        ns,
        "timeout",
        "20",
        "busybox",
        "udhcpc",
        "-i",
        dev,
        "-n",
        "-q",
        "-f",
        "-t",
        "5",
        "-T",
        "1",
        "-s",
        "/bin/true");
  }

  /** As {@link #sh}, ignoring failure (cleanup of something that may not exist). */
  public static void shQuiet(String... cmd) {
    try {
      sh(cmd);
    } catch (Exception e) {
      // nothing to clean up
    }
  }

  /** Runs {@code c} on {@code ex} (a {@link #threadIn} thread), with a 30 s deadline. */
  public static <T> T on(ExecutorService ex, Callable<T> c) throws Exception {
    return ex.submit(c).get(30, TimeUnit.SECONDS);
  }

  /** {@code ip -n NAME args...}; fails on a non-zero exit; returns stdout. */
  public String ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
    cmd.addAll(List.of(args));
    return run(cmd, false);
  }

  private static String run(List<String> cmd, boolean mayFail)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timeout: " + cmd);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!mayFail) {
      assertEquals(0, p.exitValue(), cmd + ": " + out);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
      run(List.of("ip", "netns", "del", name), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted deleting netns " + name, e);
    }
  }
}
