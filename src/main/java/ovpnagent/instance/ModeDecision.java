package ovpnagent.instance;

/** A mode and the one-line reason for it, as {@code check} prints it. */
public record ModeDecision(InstanceMode mode, String reason) {}
