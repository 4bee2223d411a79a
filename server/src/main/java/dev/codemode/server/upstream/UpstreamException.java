package dev.codemode.server.upstream;

/**
 * A request could not be sent or was refused by policy. The message is shown to the script (and so to the model):
 * it says what went wrong and what to do, and never contains a secret.
 */
public class UpstreamException extends RuntimeException {
  public UpstreamException(String message) {
    super(message, null, false, false);
  }

  public UpstreamException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
