package ovpnagent.store;

/** The SiteSubnetStore contract against the in-memory implementation. */
class InMemorySiteSubnetStoreTest extends SiteSubnetStoreContract {
  private InMemorySiteSubnetStore mem;

  @Override
  protected SiteSubnetStore open() {
    mem = new InMemorySiteSubnetStore();
    return mem;
  }

  @Override
  protected SiteSubnetStore reopen() {
    return mem;
  }

  @Override
  protected void closeAll() {}
}
