/**
 * The embedded demo API behind {@code --demo}: a store/CRM HTTP API (customers, products, orders,
 * support tickets, diagnostics) with its OpenAPI 3.0.3 document, bearer auth and deterministic
 * in-memory data, served by the JDK's {@code com.sun.net.httpserver}. It lets the product run on a
 * fresh clone and gives end-to-end tests and benchmarks a real upstream.
 *
 * <p>{@link dev.codemode.demo.DemoApi} is the only public type. In process:
 * <pre>{@code try (DemoApi api = DemoApi.start("127.0.0.1", 0, DemoApi.DEFAULT_TOKEN)) {
 *   String spec = api.openApiJson(); // servers[0].url == api.baseUrl()
 * }}</pre>
 * As a separate process: {@code java -cp ... dev.codemode.demo.DemoApi --port 0} prints
 * {@code {"baseUrl":"http://127.0.0.1:PORT/v1","token":"demo-token-123"}} on stdout and serves until killed.
 */
package dev.codemode.demo;
