package ovpnagent.store;

/** The RoutedAddressStore contract against the in-memory implementation. */
class InMemoryRoutedAddressStoreTest extends RoutedAddressStoreContract {
  private InMemoryRoutedAddressStore mem;

  @Override
  protected RoutedAddressStore open() {
    mem = new InMemoryRoutedAddressStore();
    return mem;
  }

  @Override
  protected RoutedAddressStore reopen() {
    return mem;
  }

  @Override
  protected void closeAll() {}
}
