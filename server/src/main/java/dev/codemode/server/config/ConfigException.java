package dev.codemode.server.config;

/** A start-up configuration problem; the message is one line telling the operator what to fix. */
public class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }
}
