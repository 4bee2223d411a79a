package dev.codemode.demo;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh demo API on port 0 for each test, with an authenticated client; disposed after each test. */
abstract class DemoServerTest {
  DemoApi api;
  DemoHttp http;

  @BeforeEach
  void start() {
    api = DemoApi.start("127.0.0.1", 0, DemoApi.DEFAULT_TOKEN);
    http = new DemoHttp(api);
  }

  @AfterEach
  void stop() {
    api.close();
  }
}
