package ovpnagent.openvpn.mgmt.protocol;

import java.util.List;

/** One real-time notification ({@code >SOURCE:text}, openvpn.md §2.4-§2.5), whole blocks merged. */
public sealed interface MgmtEvent
    permits MgmtEvent.ClientConnect,
        MgmtEvent.ClientReauth,
        MgmtEvent.ClientEstablished,
        MgmtEvent.ClientDisconnect,
        MgmtEvent.ClientAddress,
        MgmtEvent.ClientCrResponse,
        MgmtEvent.Hold,
        MgmtEvent.Info,
        MgmtEvent.State,
        MgmtEvent.Log,
        MgmtEvent.Fatal,
        MgmtEvent.PasswordPrompt,
        MgmtEvent.Other {

  /** {@code >CLIENT:CONNECT,CID,KID} + ENV: a new client waits for client-auth/deny. */
  record ClientConnect(long cid, long kid, ClientEnv env) implements MgmtEvent {}

  /** {@code >CLIENT:REAUTH,CID,KID} + ENV: a renegotiation waits for client-auth/deny. */
  record ClientReauth(long cid, long kid, ClientEnv env) implements MgmtEvent {}

  /** {@code >CLIENT:ESTABLISHED,CID} + ENV. */
  record ClientEstablished(long cid, ClientEnv env) implements MgmtEvent {}

  /** {@code >CLIENT:DISCONNECT,CID} + ENV (env may be empty). */
  record ClientDisconnect(long cid, ClientEnv env) implements MgmtEvent {}

  /** {@code >CLIENT:ADDRESS,CID,ADDR,PRI} (TUN only; no ENV). */
  record ClientAddress(long cid, String address, boolean primary) implements MgmtEvent {}

  /** {@code >CLIENT:CR_RESPONSE,CID,KID,base64} + ENV. */
  record ClientCrResponse(long cid, long kid, String response, ClientEnv env)
      implements MgmtEvent {}

  /** {@code >HOLD:text}: OpenVPN waits for {@code hold release}. */
  record Hold(String text) implements MgmtEvent {}

  /** {@code >INFO:text}. */
  record Info(String text) implements MgmtEvent {}

  /**
   * {@code >STATE:time,NAME,desc,tun_ip4,remote_ip,remote_port,local_ip,local_port,tun_ip6}.
   *
   * @param rest the fields after the description (possibly empty strings)
   */
  record State(long time, String name, String description, List<String> rest) implements MgmtEvent {
    public State {
      rest = List.copyOf(rest);
    }

    /** True for {@code RECONNECTING} (SIGHUP/SIGUSR1 restart: CIDs start again at 0). */
    public boolean isReconnecting() {
      return "RECONNECTING".equals(name);
    }
  }

  /** {@code >LOG:time,flags,text}. */
  record Log(long time, String flags, String text) implements MgmtEvent {}

  /** {@code >FATAL:text}: OpenVPN is about to exit. */
  record Fatal(String text) implements MgmtEvent {}

  /** {@code ENTER PASSWORD:} (no line ending) or a {@code >PASSWORD:} line. */
  record PasswordPrompt(String text) implements MgmtEvent {}

  /** Any other {@code >SOURCE:text} (ECHO, NOTIFY, BYTECOUNT_CLI, UPDOWN, ...), kept raw. */
  record Other(String source, String text) implements MgmtEvent {}
}
