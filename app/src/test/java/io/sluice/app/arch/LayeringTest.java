package io.sluice.app.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.sluice.domain.archfixture.DomainClassUsingJackson;
import io.sluice.engine.archfixture.EngineClassUsingAnAdapter;
import io.sluice.engine.archfixture.cyclea.NeedsB;
import io.sluice.engine.archfixture.cycleb.NeedsA;
import io.sluice.http.archfixture.HttpAdapterReachingIntoEngine;
import io.sluice.jdbc.archfixture.JdbcAdapterReachingIntoEngineInternals;
import io.sluice.ports.archfixture.PortUsingVertx;
import io.sluice.redis.archfixture.RedisAdapterUsingGuice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the layering of every module's production classes, and proves each rule can fail: a fixture class that
 * breaks it (test sources only, never in the production import) is caught.
 */
class LayeringTest {
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.sluice");
    }

    static java.util.List<ArchRule> rules() {
        return LayeringRules.all();
    }

    @ParameterizedTest
    @MethodSource("rules")
    void productionCodeFollowsTheRule(ArchRule rule) {
        rule.check(production);
    }

    @Test
    void everyModuleIsImported() {
        for (String root : LayeringRules.MODULE_ROOTS.values()) {
            assertThat(production.stream().anyMatch(c -> c.getPackageName().startsWith(root))).as(root).isTrue();
        }
    }

    @Test
    void aDomainClassUsingALibraryIsCaught() {
        assertViolates(LayeringRules.DOMAIN_USES_ONLY_THE_JDK, DomainClassUsingJackson.class);
    }

    @Test
    void aPortUsingVertxIsCaught() {
        assertViolates(LayeringRules.PORTS_DEPEND_ONLY_ON_DOMAIN, PortUsingVertx.class);
    }

    @Test
    void anEngineClassUsingAnAdapterIsCaught() {
        assertViolates(LayeringRules.ENGINE_DOES_NOT_DEPEND_ON_ADAPTERS, EngineClassUsingAnAdapter.class);
    }

    @Test
    void anAdapterUsingTheEngineIsCaught() {
        assertViolates(LayeringRules.ADAPTERS_ARE_INDEPENDENT, HttpAdapterReachingIntoEngine.class);
    }

    @Test
    void guiceOutsideAppIsCaught() {
        assertViolates(LayeringRules.ONLY_APP_USES_GUICE_AND_CONFIG, RedisAdapterUsingGuice.class);
    }

    @Test
    void reachingIntoAnotherModulesInternalsIsCaught() {
        assertViolates(LayeringRules.NO_MODULE_REACHES_INTO_ANOTHERS_INTERNALS, JdbcAdapterReachingIntoEngineInternals.class);
        assertViolates(LayeringRules.ADAPTERS_ARE_INDEPENDENT, JdbcAdapterReachingIntoEngineInternals.class);
    }

    @Test
    void twoPackagesThatNeedEachOtherAreCaught() {
        assertViolates(LayeringRules.NO_PACKAGE_CYCLES, NeedsA.class, NeedsB.class);
    }

    private static void assertViolates(ArchRule rule, Class<?>... fixtures) {
        JavaClasses classes = new ClassFileImporter().importClasses(fixtures);
        assertThat(rule.evaluate(classes).hasViolation()).as(rule.getDescription()).isTrue();
    }
}
