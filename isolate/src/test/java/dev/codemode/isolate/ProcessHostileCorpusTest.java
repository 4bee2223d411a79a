package dev.codemode.isolate;

class ProcessHostileCorpusTest extends HostileCorpusKit {
  @Override
  Sandbox create() {
    return Sandboxes.processIsolated(new SandboxConfig(2, 16, true, 192));
  }
}
