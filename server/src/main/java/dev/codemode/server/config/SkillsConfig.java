package dev.codemode.server.config;

import java.util.Locale;

/**
 * Whether scripts may save and reuse skills, and where the skills live. Immutable. {@link #OFF} is the default of
 * {@link ServerConfig#defaults()} (embedders and tests keep no state unless they ask); the command line turns skills on
 * ({@code --skills on}, its documented default) with the store under {@code --data-dir}.
 *
 * <pre>{@code
 * SkillsConfig c = new SkillsConfig(SkillsConfig.Mode.ON, StoreLocation.sqlite(Path.of("/var/lib/codemode")));
 * }</pre>
 *
 * @param mode  off, on, or approve (each save asks the user)
 * @param store where the skills live (null when off)
 */
public record SkillsConfig(Mode mode, StoreLocation store) {
  /** Skills turned off. */
  public static final SkillsConfig OFF = new SkillsConfig(Mode.OFF, null);

  /** {@code --skills}. */
  public enum Mode {
    OFF, ON, APPROVE;

    public static Mode parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "off" -> OFF;
        case "on" -> ON;
        case "approve" -> APPROVE;
        default -> throw new IllegalArgumentException("--skills must be off, on or approve, not '" + s + "'");
      };
    }
  }
}
