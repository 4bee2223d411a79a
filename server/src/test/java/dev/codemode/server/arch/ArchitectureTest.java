package dev.codemode.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.codemode.demo.DemoApi;
import dev.codemode.isolate.Sandbox;
import dev.codemode.server.Codemode;
import dev.codemode.server.config.Secret;
import dev.codemode.spec.ApiSpec;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries ARCHITECTURE.md promises, checked on the main classes of spec-index, demo-api, isolate and server (all
 * four are on this module's test class path, imported from their class folders or jars). A rule that fails names the class and
 * the dependency that broke it.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importLocations(Stream.of(Sandbox.class, ApiSpec.class, DemoApi.class, Codemode.class)
            .map(c -> Location.of(c.getProtectionDomain().getCodeSource().getLocation()))
            .collect(Collectors.toSet()));

  }

  @Test
  void theSandboxKnowsNoHttpNoOpenApiNoMcpAndNoServer() {
    ArchRule rule = noClasses().that().resideInAPackage("dev.codemode.isolate..")
        .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "reactor..", "io.swagger..",
            "io.modelcontextprotocol..", "org.eclipse.jetty..", "dev.codemode.server..", "dev.codemode.spec..",
            "dev.codemode.demo..")
        .because("isolate calls out only through HostBridge (ARCHITECTURE.md)");
    rule.check(classes);
  }

  @Test
  void theSpecIndexKnowsNoMcpNoSandboxAndNoServer() {
    ArchRule rule = noClasses().that().resideInAPackage("dev.codemode.spec..")
        .should().dependOnClassesThat().resideInAnyPackage("io.modelcontextprotocol..", "org.graalvm..",
            "dev.codemode.isolate..", "dev.codemode.server..", "dev.codemode.demo..")
        .because("spec-index is OpenAPI in, ranked operations out (ARCHITECTURE.md)");
    rule.check(classes);
  }

  @Test
  void theDemoApiKnowsNoMcpNoSandboxNoSpecIndexAndNoServer() {
    ArchRule rule = noClasses().that().resideInAPackage("dev.codemode.demo..")
        .should().dependOnClassesThat().resideInAnyPackage("io.modelcontextprotocol..", "org.graalvm..",
            "dev.codemode.isolate..", "dev.codemode.spec..", "dev.codemode.server..")
        .because("demo-api is a plain HTTP API with its OpenAPI document, the upstream of --demo (ARCHITECTURE.md)");
    rule.check(classes);
  }

  @Test
  void internalPackagesAreUsedOnlyInsideTheirModule() {
    noClasses().that().resideOutsideOfPackage("dev.codemode.isolate..")
        .should().dependOnClassesThat().resideInAPackage("dev.codemode.isolate.internal..")
        .because("isolate's public API is its root package").check(classes);
    noClasses().that().resideOutsideOfPackage("dev.codemode.spec..")
        .should().dependOnClassesThat().resideInAPackage("dev.codemode.spec.internal..")
        .because("spec-index's public API is its root package").check(classes);
  }

  @Test
  void theSpecIndexsInternalPackageHasOnePublicDoor() {
    classes().that().resideInAPackage("dev.codemode.spec.internal..").and().arePublic().and().areTopLevelClasses()
        .should().haveSimpleName("Indexes")
        .because("spec-index's public classes reach the implementation through Indexes only; everything else in "
            + "internal stays package-private")
        .check(classes);
  }

  @Test
  void theGatewayAndTheApproverKnowNoMcp() {
    noClasses().that().resideInAnyPackage("dev.codemode.server.upstream..", "dev.codemode.server.approval..")
        .should().dependOnClassesThat().resideInAPackage("io.modelcontextprotocol..")
        .because("the gateway decides and asks through Approver; the MCP elicitation is tools.McpApprover "
            + "(ARCHITECTURE.md)")
        .check(classes);
  }

  @Test
  void onlyTheMcpEdgeKnowsMcp() {
    noClasses().that().resideInAPackage("dev.codemode.server..")
        .and().resideOutsideOfPackage("dev.codemode.server.transport..")
        .and().doNotHaveSimpleName("Codemode").and().doNotHaveSimpleName("CodemodeTools")
        .and().doNotHaveSimpleName("McpCaller").and().doNotHaveSimpleName("McpApprover")
        .should().dependOnClassesThat().resideInAPackage("io.modelcontextprotocol..")
        .because("the tools, skills, gateway and approval run for a Caller; only the transports, the assembly, the "
            + "tool definitions (CodemodeTools) and the adapters McpCaller and McpApprover read MCP types")
        .check(classes);
  }

  @Test
  void theServersPackagesFormNoCycle() {
    slices().assignedFrom(new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass c) {
        String p = c.getPackageName();
        return p.equals("dev.codemode.server") || p.startsWith("dev.codemode.server.") ? SliceIdentifier.of(p)
            : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "the packages of server";
      }
    }).should().beFreeOfCycles().check(classes);
  }

  @Test
  void secretsAreReadOnlyWhereTheyLeaveTheProcess() {
    noClasses().that().doNotHaveFullyQualifiedName("dev.codemode.server.upstream.Credentials")
        .and().doNotHaveFullyQualifiedName("dev.codemode.server.upstream.OAuth2Tokens")
        .and().doNotHaveFullyQualifiedName("dev.codemode.server.transport.HttpSecurity")
        .and().doNotHaveFullyQualifiedName("dev.codemode.server.skills.JdbcSkillStore")
        .should().callMethod(Secret.class, "reveal")
        .because("a secret is revealed only to add it to an upstream request (Credentials, OAuth2Tokens) or to "
            + "hash a client token (HttpSecurity), or to log in to the skill store's database (JdbcSkillStore); "
            + "see ARCHITECTURE.md, Secrets")
        .check(classes);
  }
}
