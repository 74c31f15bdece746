package ovpnagent.util;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts one method or type from the build's forbidden-API check (style.md 15: no System.out/err,
 * no default charset or locale, no Thread.sleep in main code), with the reason written down.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.TYPE, ElementType.FIELD})
public @interface SuppressForbidden {
  /** Why the banned API is right here. */
  String reason();
}
