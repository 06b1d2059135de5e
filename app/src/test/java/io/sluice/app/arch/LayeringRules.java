package io.sluice.app.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The dependency rules of DESIGN.md, as ArchUnit rules over the modules' root packages. */
final class LayeringRules {
    static final Map<String, String> MODULE_ROOTS = Map.of(
            "domain", "io.sluice.domain", "ports", "io.sluice.ports", "engine", "io.sluice.engine",
            "adapters-http", "io.sluice.http", "adapters-jdbc", "io.sluice.jdbc", "adapters-redis", "io.sluice.redis",
            "testkit", "io.sluice.testkit", "app", "io.sluice.app", "bench", "io.sluice.bench");

    private LayeringRules() {}

    static final ArchRule DOMAIN_USES_ONLY_THE_JDK = classes().that().resideInAPackage("io.sluice.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.sluice.domain..")
            .because("the domain is pure rules and values: JDK only");

    static final ArchRule PORTS_DEPEND_ONLY_ON_DOMAIN = classes().that().resideInAPackage("io.sluice.ports..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.sluice.domain..", "io.sluice.ports..")
            .because("ports are contracts over domain values");

    static final ArchRule ENGINE_DOES_NOT_DEPEND_ON_ADAPTERS = noClasses().that().resideInAPackage("io.sluice.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("io.sluice.http..", "io.sluice.jdbc..", "io.sluice.redis..",
                    "io.sluice.app..", "io.sluice.testkit..", "io.vertx..", "org.jdbi..", "io.lettuce..")
            .because("the engine reaches the world only through ports");

    static final ArchRule ADAPTERS_ARE_INDEPENDENT = CompositeArchRule.of(adapterRule("io.sluice.http", "io.sluice.jdbc", "io.sluice.redis"))
            .and(adapterRule("io.sluice.jdbc", "io.sluice.http", "io.sluice.redis"))
            .and(adapterRule("io.sluice.redis", "io.sluice.http", "io.sluice.jdbc"))
            .because("adapters depend neither on each other nor on the engine");

    static final ArchRule ONLY_APP_USES_GUICE_AND_CONFIG = noClasses().that().resideOutsideOfPackage("io.sluice.app..")
            .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..", "org.eclipse.microprofile.config..",
                    "io.smallrye.config..")
            .because("app is the only composition root");

    static final ArchRule NO_MODULE_REACHES_INTO_ANOTHERS_INTERNALS = internalsRule();

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.sluice.(**)").should().beFreeOfCycles()
            .because("a package is a layer of its own: two packages that need each other are one idea split in two");

    static List<ArchRule> all() {
        return List.of(DOMAIN_USES_ONLY_THE_JDK, PORTS_DEPEND_ONLY_ON_DOMAIN, ENGINE_DOES_NOT_DEPEND_ON_ADAPTERS,
                ADAPTERS_ARE_INDEPENDENT, ONLY_APP_USES_GUICE_AND_CONFIG, NO_MODULE_REACHES_INTO_ANOTHERS_INTERNALS, NO_PACKAGE_CYCLES);
    }

    private static ArchRule adapterRule(String adapter, String... others) {
        List<String> forbidden = new ArrayList<>();
        for (String o : others) forbidden.add(o + "..");
        forbidden.add("io.sluice.engine..");
        forbidden.add("io.sluice.app..");
        return noClasses().that().resideInAPackage(adapter + "..").should().dependOnClassesThat()
                .resideInAnyPackage(forbidden.toArray(String[]::new))
                .allowEmptyShould(true); // a fixture imports one class; everyModuleIsImported guards the real import
    }

    private static ArchRule internalsRule() {
        CompositeArchRule rule = null;
        for (String root : MODULE_ROOTS.values()) {
            ArchRule r = noClasses().that().resideOutsideOfPackage(root + "..")
                    .should().dependOnClassesThat().resideInAPackage(root + "..internal..")
                    .allowEmptyShould(true);
            rule = rule == null ? CompositeArchRule.of(r) : rule.and(r);
        }
        return rule.because("a module's internal packages are its own");
    }
}
