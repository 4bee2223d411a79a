package dev.codemode.isolate;

class InProcessHostileCorpusTest extends HostileCorpusKit {
  @Override
  Sandbox create() {
    return Sandboxes.inProcess(SandboxConfig.defaults().withConcurrency(2, 16));
  }
}
