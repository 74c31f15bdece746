/**
 * Test support shared by several test packages: throwaway network namespaces and threads inside
 * them (netns membership is per thread, so sockets opened on such a thread belong to it).
 */
package ovpnagent.testing;
