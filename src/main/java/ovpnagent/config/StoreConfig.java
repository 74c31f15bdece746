package ovpnagent.config;

/**
 * Where leases and mappings are kept ({@code store.url}); the default is an H2 file under the state
 * directory with {@code WRITE_DELAY=0}, so a committed lease survives {@code kill -9}.
 */
public record StoreConfig(String url) {}
