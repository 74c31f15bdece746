package ovpnagent.store;

/** The MappingStore contract against the in-memory implementation. */
class InMemoryMappingStoreTest extends MappingStoreContract {
  private InMemoryMappingStore mem;

  @Override
  protected MappingStore open() {
    mem = new InMemoryMappingStore();
    return mem;
  }

  @Override
  protected MappingStore reopen() {
    return mem;
  }

  @Override
  protected void closeAll() {}
}
