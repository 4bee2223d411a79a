package dev.codemode.server.skills;

/** A store failure or a refused skill; the message says what to do and is safe to show the model. */
public final class SkillStoreException extends RuntimeException {
  public SkillStoreException(String message) {
    super(message);
  }

  public SkillStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
