package io.sluice.engine.archfixture.cycleb;

/** With {@code cyclea.NeedsB}, breaks "no package cycles" on purpose; lives in test sources only. */
public class NeedsA {
    io.sluice.engine.archfixture.cyclea.NeedsB other;
}
