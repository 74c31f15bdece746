package ovpnagent.boot;

import java.util.function.Supplier;

/**
 * A service constructed when its turn to start comes, so it can use what earlier services opened
 * (the store, the bridge's link manager).
 */
final class Deferred<S extends Service> implements Service {
  private final String name;
  private final Supplier<S> factory;
  private volatile S delegate;

  Deferred(String name, Supplier<S> factory) {
    this.name = name;
    this.factory = factory;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start() throws Exception {
    S s = factory.get();
    delegate = s;
    s.start();
  }

  /** The constructed service, or null before start. */
  S get() {
    return delegate;
  }

  @Override
  public void close() {
    S s = delegate;
    if (s != null) {
      s.close();
    }
  }
}
