package dev.codemode.spec;

/** A spec could not be loaded. The message names the file and, where known, the place inside it. */
public class SpecException extends Exception {
  public SpecException(String message) {
    super(message);
  }

  public SpecException(String message, Throwable cause) {
    super(message, cause);
  }
}
