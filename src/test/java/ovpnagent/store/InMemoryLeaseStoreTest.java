package ovpnagent.store;

/** The LeaseStore contract against the in-memory implementation. */
class InMemoryLeaseStoreTest extends LeaseStoreContract {
  private InMemoryLeaseStore mem;

  @Override
  protected LeaseStore open() {
    mem = new InMemoryLeaseStore();
    return mem;
  }

  @Override
  protected LeaseStore reopen() {
    return mem;
  }

  @Override
  protected void closeAll() {}
}
